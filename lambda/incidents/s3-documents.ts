/**
 * Incident documents in S3, shared by `AwsIncidentStore` and `S3IncidentStore`: only
 * PutObject and GetObject under `incidents/`, the calls the responder's role allows.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  assertWritableDocumentName,
  documentKey,
  incidentKeyPrefix,
  parseDocument,
  serializeDocument,
} from './store';

export const JSON_CONTENT_TYPE = 'application/json';

/** The error's `name` (SDK v3 service exceptions carry the AWS error code there). */
export function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/** The HTTP status of an SDK v3 error, when it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

export class S3Documents {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {
    if (bucket.trim() === '') throw new Error('the evidence bucket name is empty');
  }

  async put(incidentId: string, name: string, document: unknown): Promise<void> {
    assertWritableDocumentName(name);
    const key = documentKey(incidentId, name);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: serializeDocument(document, this.url(key)),
        ContentType: JSON_CONTENT_TYPE,
      }),
    );
  }

  /**
   * The parsed document, or `undefined` on NoSuchKey. Without s3:ListBucket (the responder's
   * role has none) S3 answers AccessDenied for a missing key: that error propagates.
   */
  async get(incidentId: string, name: string): Promise<unknown> {
    return (await this.getWithEtag(incidentId, name))?.document;
  }

  /** As `get`, with the object's ETag, for a conditional write over it (`If-Match`). */
  async getWithEtag(
    incidentId: string,
    name: string,
  ): Promise<{ readonly document: unknown; readonly etag: string | undefined } | undefined> {
    const key = documentKey(incidentId, name);
    let text: string;
    let etag: string | undefined;
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (response.Body === undefined) throw new Error(`${this.url(key)}: GetObject returned no body`);
      text = await response.Body.transformToString('utf-8');
      etag = response.ETag;
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw error;
    }
    return { document: parseDocument(text, this.url(key)), etag };
  }

  locationOf(incidentId: string): string {
    return this.url(incidentKeyPrefix(incidentId));
  }

  url(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}
