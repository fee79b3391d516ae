import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCloudTrail } from '../../../lambda/signal/cloudtrail';
import { parse } from '../../../lambda/signal/parse';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'parser');

type Json = Record<string, unknown>;

function detailOf(name: string): Json {
  const event = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Json;
  return event.detail as Json;
}

describe('parseCloudTrail', () => {
  it('reads a raw record (no envelope) as parse does', () => {
    const record = detailOf('ct-iamuser-createaccesskey');
    expect(parseCloudTrail(record, undefined)).toEqual(parse(record));
    expect(parseCloudTrail(record, undefined)).toMatchObject({
      kind: 'signal',
      source: 'cloudtrail',
      principal: { type: 'IAMUser', userName: 'ci-deployer', accountId: '111122223333' },
      credentialKind: 'long-term',
      partition: 'aws',
    });
  });

  it('takes the partition from the region of the record when no ARN names one', () => {
    const record: Json = {
      eventVersion: '1.09',
      eventTime: '2024-05-14T03:12:09Z',
      awsRegion: 'us-isob-east-1',
      recipientAccountId: '111122223333',
      userIdentity: { type: 'Root', principalId: '111122223333' },
    };
    expect(parseCloudTrail(record, undefined)).toMatchObject({ kind: 'signal', partition: 'aws-iso-b' });
  });

  it('rejects a record without userIdentity, saying why', () => {
    expect(parseCloudTrail({ eventVersion: '1.09', eventName: 'X' }, undefined)).toMatchObject({
      kind: 'rejection',
      reason: 'missing-identity',
    });
    expect(
      parseCloudTrail({ userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } }, undefined),
    ).toMatchObject({
      kind: 'rejection',
      reason: 'aws-service-principal',
    });
  });
});
