import { IAMClient } from '@aws-sdk/client-iam';
import fc from 'fast-check';
import {
  clientPartition,
  isoDate,
  partitionOfArn,
  partitionOfRegion,
  samePolicyDocument,
} from '../../../../lambda/actions/iam-user/context';

describe('IAM-user action context helpers', () => {
  it('finds the partition of a region and of an ARN', () => {
    expect(partitionOfRegion('us-east-1')).toBe('aws');
    expect(partitionOfRegion('cn-northwest-1')).toBe('aws-cn');
    expect(partitionOfRegion('us-gov-west-1')).toBe('aws-us-gov');
    expect(partitionOfRegion('us-iso-east-1')).toBe('aws-iso');
    expect(partitionOfRegion('us-isob-east-1')).toBe('aws-iso-b');
    expect(partitionOfArn('arn:aws-us-gov:iam::123456789012:user/alice')).toBe('aws-us-gov');
    expect(partitionOfArn('not-an-arn')).toBeUndefined();
  });

  it("takes the client's region partition, and aws when the client has no region", async () => {
    const credentials = { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' };
    await expect(clientPartition(new IAMClient({ region: 'cn-north-1', credentials }))).resolves.toBe(
      'aws-cn',
    );
    const noRegion = new IAMClient({ credentials });
    Object.defineProperty(noRegion, 'config', {
      value: { region: () => Promise.reject(new Error('Region is missing')) },
    });
    await expect(clientPartition(noRegion)).resolves.toBe('aws');
  });

  it('compares policy documents by meaning: key order and whitespace do not matter, values do', () => {
    const a = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';
    const b =
      '{ "Statement": [ { "Resource": "*", "Action": "*", "Effect": "Deny" } ], "Version": "2012-10-17" }';
    expect(samePolicyDocument(a, b)).toBe(true);
    expect(samePolicyDocument(a, a.replace('Deny', 'Allow'))).toBe(false);
    expect(samePolicyDocument('not json', 'not json')).toBe(true);
    expect(samePolicyDocument('not json', a)).toBe(false);
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        return samePolicyDocument(text, JSON.stringify(JSON.parse(text), null, 2));
      }),
    );
  });

  it('keeps dates as ISO strings', () => {
    expect(isoDate(new Date('2024-01-02T03:04:05Z'))).toBe('2024-01-02T03:04:05.000Z');
    expect(isoDate('2024-01-02T03:04:05Z')).toBe('2024-01-02T03:04:05Z');
    expect(isoDate(undefined)).toBeNull();
  });
});
