import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { S3IncidentStore } from '../../../lambda/incidents/s3-incident-store';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';
import { claimOf, describeIncidentStoreContract, freshIncidentId } from './support/store-contract';

const s3 = new S3Client({ ...emulatorClientConfig(sharedMotoUrl()), forcePathStyle: true });

async function createBucket(): Promise<string> {
  const bucket = uniqueName('evidence-cli').toLowerCase();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

afterAll(() => {
  s3.destroy();
});

describe('S3IncidentStore on moto', () => {
  describeIncidentStoreContract({
    makeStore: async () => new S3IncidentStore({ s3, bucket: await createBucket() }),
    expectedLocation: (store, id) => `s3://${(store as S3IncidentStore).bucket}/incidents/${id}/`,
    atomicUnderConcurrency: false,
  });

  it('keeps the first claim in incidents/<id>/claim.json, untouched by a re-delivery', async () => {
    const bucket = await createBucket();
    const store = new S3IncidentStore({ s3, bucket });
    const id = freshIncidentId();
    await store.claim(claimOf(id, { detection: 'first' }));
    await store.claim(claimOf(id, { detection: 'second' }));
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `incidents/${id}/claim.json` }));
    expect(object.ContentType).toBe('application/json');
    const claim = { ...claimOf(id, { detection: 'first' }), state: 'in-progress' };
    expect(JSON.parse(await object.Body!.transformToString())).toEqual(claim);
    await expect(store.getDocument(id, 'claim')).resolves.toEqual(claim);
  });

  it('keeps containments under containments/<time>_<id>.json, apart from the incident records', async () => {
    const bucket = await createBucket();
    const store = new S3IncidentStore({ s3, bucket });
    const id = freshIncidentId();
    await store.recordContainment(id, new Date('2026-01-15T09:31:00.000Z'));
    const listing = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listing.Contents?.map((object) => object.Key)).toEqual([
      `containments/2026-01-15T09:31:00.000Z_${id}.json`,
    ]);
  });
});
