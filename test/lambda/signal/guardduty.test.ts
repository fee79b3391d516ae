import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseGuardDuty } from '../../../lambda/signal/guardduty';
import { parse } from '../../../lambda/signal/parse';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'parser');

type Json = Record<string, unknown>;

function detailOf(name: string): Json {
  const event = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Json;
  return event.detail as Json;
}

describe('parseGuardDuty', () => {
  it('reads a raw finding (no envelope) as parse does', () => {
    const finding = detailOf('gd-iamuser-tor-caller');
    expect(parseGuardDuty(finding, undefined)).toEqual(parse(finding));
    expect(parseGuardDuty(finding, undefined)).toMatchObject({ kind: 'signal', source: 'guardduty' });
  });

  it('takes the partition from the region when the finding gives none that is valid', () => {
    const finding: Json = {
      schemaVersion: '2.0',
      type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
      accountId: '111122223333',
      region: 'us-iso-east-1',
      partition: 'not a partition',
      updatedAt: '2025-02-25T20:40:06.721Z',
      resource: { accessKeyDetails: { userType: 'IAMUser', userName: 'alice', accessKeyId: 'AKIAEXAMPLE' } },
    };
    expect(parseGuardDuty(finding, undefined)).toMatchObject({ kind: 'signal', partition: 'aws-iso' });
    expect(parseGuardDuty({ ...finding, partition: 'aws-iso-f' }, undefined)).toMatchObject({
      partition: 'aws-iso-f',
    });
  });

  it('rejects a finding that names neither an access key nor an instance', () => {
    expect(parseGuardDuty({ type: 'Policy:S3/BucketBlockPublicAccessDisabled' }, undefined)).toMatchObject({
      kind: 'rejection',
      reason: 'unsupported-finding',
    });
  });
});
