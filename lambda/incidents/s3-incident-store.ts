/**
 * The CLI's incident store when it is given `--evidence-bucket`: everything in S3, with the
 * operator's credentials (it lists a prefix, which the responder's role could not).
 *
 * - claim: conditional PutObject (`If-None-Match: *`) of `incidents/<id>/claim.json`; 412 → 'exists';
 * - documents: `incidents/<id>/<name>.json`;
 * - containments: one empty-ish object per containment, `containments/<ISO time>_<id>.json`,
 *   counted by listing the keys after `containments/<since>` (ISO times sort as they compare).
 */
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorName, httpStatusOf, JSON_CONTENT_TYPE, S3Documents } from './s3-documents';
import {
  assertIncidentId,
  CLAIM_DOCUMENT,
  documentKey,
  isoTime,
  serializeDocument,
  type ClaimResult,
  type IncidentClaim,
  type IncidentStore,
} from './store';

export const CONTAINMENTS_PREFIX = 'containments/';

/** How often a claim is retried after S3's 409 ConditionalRequestConflict (a concurrent write). */
const CONFLICT_RETRIES = 3;

export interface S3IncidentStoreOptions {
  readonly s3: S3Client;
  readonly bucket: string;
}

export class S3IncidentStore implements IncidentStore {
  private readonly documents: S3Documents;
  private readonly s3: S3Client;

  constructor(options: S3IncidentStoreOptions) {
    this.s3 = options.s3;
    this.documents = new S3Documents(options.s3, options.bucket);
  }

  get bucket(): string {
    return this.documents.bucket;
  }

  async claim(incident: IncidentClaim): Promise<ClaimResult> {
    const key = documentKey(incident.incidentId, CLAIM_DOCUMENT);
    const body = serializeDocument(incident, this.documents.url(key));
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: JSON_CONTENT_TYPE,
            IfNoneMatch: '*',
          }),
        );
        return 'claimed';
      } catch (error) {
        const status = httpStatusOf(error);
        if (errorName(error) === 'PreconditionFailed' || status === 412) return 'exists';
        // S3 answers 409 when another write to the key was in flight: the next try settles it.
        const conflict = errorName(error) === 'ConditionalRequestConflict' || status === 409;
        if (!conflict || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  putDocument(incidentId: string, name: string, document: unknown): Promise<void> {
    return this.documents.put(incidentId, name, document);
  }

  getDocument(incidentId: string, name: string): Promise<unknown> {
    return this.documents.get(incidentId, name);
  }

  async countContainmentsSince(since: Date): Promise<number> {
    const startAfter = `${CONTAINMENTS_PREFIX}${isoTime(since, 'since')}`;
    let count = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: CONTAINMENTS_PREFIX,
          // Exclusive, but every key at `since` is longer than this, so it sorts after it.
          StartAfter: startAfter,
          ContinuationToken: token,
        }),
      );
      count += page.Contents?.length ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return count;
  }

  async recordContainment(incidentId: string, at: Date): Promise<void> {
    assertIncidentId(incidentId);
    const time = isoTime(at, 'at');
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${CONTAINMENTS_PREFIX}${time}_${incidentId}.json`,
        Body: serializeDocument({ incidentId, at: time }, 'containment'),
        ContentType: JSON_CONTENT_TYPE,
      }),
    );
  }

  locationOf(incidentId: string): string {
    return this.documents.locationOf(incidentId);
  }
}
