import fc from 'fast-check';
import {
  compileEventPattern,
  matchesEventPattern,
  validateEventPattern,
} from '../../../lambda/detections/event-pattern-matcher';
import type { EventPattern } from '../../../lambda/detections/types';

/** The pattern applied to `{detail: {f: value}}` (value undefined: f absent). */
function field(leaves: EventPattern[string], value?: unknown): boolean {
  const detail = value === undefined ? {} : { f: value };
  return matchesEventPattern({ detail: { f: leaves } }, { detail });
}

const CLOUDTRAIL_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  account: '123456789012',
  time: '2024-05-01T12:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    sourceIPAddress: '203.0.113.7',
    userIdentity: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::123456789012:user/alice',
      accessKeyId: 'AKIAEXAMPLE',
    },
    requestParameters: { userName: 'mallory' },
    responseElements: null,
  },
};

describe('matchesEventPattern: structure', () => {
  it('ANDs keys, ORs the values of a leaf array, and descends into nested objects', () => {
    const pattern: EventPattern = {
      source: ['aws.iam', 'aws.sts'],
      detail: { eventName: ['CreateAccessKey', 'CreateLoginProfile'], userIdentity: { type: ['IAMUser'] } },
    };
    expect(matchesEventPattern(pattern, CLOUDTRAIL_EVENT)).toBe(true);
    expect(matchesEventPattern(pattern, { ...CLOUDTRAIL_EVENT, source: 'aws.ec2' })).toBe(false);
    expect(
      matchesEventPattern(pattern, {
        ...CLOUDTRAIL_EVENT,
        detail: { ...CLOUDTRAIL_EVENT.detail, userIdentity: { type: 'Root' } },
      }),
    ).toBe(false);
  });

  it('ignores event fields the pattern does not name', () => {
    expect(matchesEventPattern({ source: ['aws.iam'] }, CLOUDTRAIL_EVENT)).toBe(true);
  });

  it('does not match when a named field is absent, or when the structure differs', () => {
    expect(matchesEventPattern({ detail: { errorCode: ['AccessDenied'] } }, CLOUDTRAIL_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { eventName: { nested: ['x'] } } }, CLOUDTRAIL_EVENT)).toBe(false);
    expect(matchesEventPattern({ detail: { userIdentity: ['IAMUser'] } }, CLOUDTRAIL_EVENT)).toBe(false);
  });

  it('matches only JSON objects as events', () => {
    const pattern: EventPattern = { f: [{ exists: false }] };
    expect(matchesEventPattern(pattern, {})).toBe(true);
    for (const event of [null, undefined, 'x', 5, true, [], [{}]]) {
      expect(matchesEventPattern(pattern, event)).toBe(false);
    }
  });

  it('compares exact values with their JSON type', () => {
    expect(field(['5'], '5')).toBe(true);
    expect(field(['5'], 5)).toBe(false);
    expect(field([5], '5')).toBe(false);
    expect(field([5], 5.0)).toBe(true);
    expect(field([301.8], 3.018e2)).toBe(true);
    expect(field([true], true)).toBe(true);
    expect(field([true], 'true')).toBe(false);
    expect(field([true], 1)).toBe(false);
    expect(field([1], true)).toBe(false);
    expect(field([false], 0)).toBe(false);
    expect(field([null], null)).toBe(true);
    expect(field([null], 'null')).toBe(false);
    expect(field([null], '')).toBe(false);
    expect(field([null])).toBe(false);
    expect(field([''], '')).toBe(true);
    expect(field([''], null)).toBe(false);
    expect(field(['Alice'], 'alice')).toBe(false);
  });

  it('matches an array in the event when any element matches, flattening nested arrays', () => {
    expect(field(['b'], ['a', 'b'])).toBe(true);
    expect(field(['c'], ['a', 'b'])).toBe(false);
    expect(field(['b'], [['a'], ['x', ['b']]])).toBe(true);
    expect(field([null], [1, null])).toBe(true);
    expect(field(['a', 'z'], ['y', 'z'])).toBe(true);
  });

  it('treats an empty array and an object as no leaf: only exists:false matches them', () => {
    for (const value of [[], [[]], {}, { k: 'v' }, [{ k: 'v' }]]) {
      expect(field([{ exists: false }], value)).toBe(true);
      expect(field([{ exists: true }], value)).toBe(false);
      expect(field([{ 'anything-but': 'x' }], value)).toBe(false);
      expect(field([null], value)).toBe(false);
    }
  });

  it('applies a nested pattern to each object of an array, never mixing fields of different elements', () => {
    const event = {
      detail: {
        items: [
          { cidrIp: '10.0.0.0/8', fromPort: 22 },
          { cidrIp: '0.0.0.0/0', fromPort: 443 },
        ],
      },
    };
    expect(matchesEventPattern({ detail: { items: { cidrIp: ['0.0.0.0/0'] } } }, event)).toBe(true);
    expect(
      matchesEventPattern({ detail: { items: { cidrIp: ['0.0.0.0/0'], fromPort: [443] } } }, event),
    ).toBe(true);
    expect(matchesEventPattern({ detail: { items: { cidrIp: ['0.0.0.0/0'], fromPort: [22] } } }, event)).toBe(
      false,
    );
    expect(
      matchesEventPattern(
        { detail: { items: { cidrIp: ['0.0.0.0/0'] } } },
        { detail: { items: [[{ cidrIp: '0.0.0.0/0' }]] } },
      ),
    ).toBe(true);
  });

  it('reads a CloudTrail security-group ingress the way EventBridge does (arrays of objects, two levels)', () => {
    const event = {
      detail: {
        requestParameters: {
          ipPermissions: {
            items: [
              { ipProtocol: 'tcp', fromPort: 22, ipRanges: { items: [{ cidrIp: '10.1.0.0/16' }] } },
              { ipProtocol: 'tcp', fromPort: 3389, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
            ],
          },
        },
      },
    };
    const openToWorld = (port: number): EventPattern => ({
      detail: {
        requestParameters: {
          ipPermissions: { items: { fromPort: [port], ipRanges: { items: { cidrIp: ['0.0.0.0/0'] } } } },
        },
      },
    });
    expect(matchesEventPattern(openToWorld(3389), event)).toBe(true);
    expect(matchesEventPattern(openToWorld(22), event)).toBe(false);
  });

  it('does not treat a dot in a key as a path separator', () => {
    expect(matchesEventPattern({ detail: { a: { b: ['x'] } } }, { detail: { 'a.b': 'x' } })).toBe(false);
    expect(matchesEventPattern({ detail: { 'a.b': ['x'] } }, { detail: { 'a.b': 'x' } })).toBe(true);
  });

  it('ignores inherited properties of the event', () => {
    const event = Object.create({ source: 'aws.iam' }) as Record<string, unknown>;
    expect(matchesEventPattern({ source: ['aws.iam'] }, event)).toBe(false);
    expect(matchesEventPattern({ toString: [{ exists: false }] }, {})).toBe(true);
  });
});

describe('matchesEventPattern: $or', () => {
  const pattern: EventPattern = {
    source: ['aws.iam'],
    detail: { $or: [{ eventName: ['CreateAccessKey'] }, { errorCode: ['AccessDenied'] }] },
  };

  it('matches when any alternative matches, ANDed with the siblings', () => {
    expect(matchesEventPattern(pattern, CLOUDTRAIL_EVENT)).toBe(true);
    const denied = { ...CLOUDTRAIL_EVENT, detail: { eventName: 'ListUsers', errorCode: 'AccessDenied' } };
    expect(matchesEventPattern(pattern, denied)).toBe(true);
    expect(matchesEventPattern(pattern, { ...CLOUDTRAIL_EVENT, detail: { eventName: 'ListUsers' } })).toBe(
      false,
    );
    expect(matchesEventPattern(pattern, { ...CLOUDTRAIL_EVENT, source: 'aws.ec2' })).toBe(false);
  });

  it('works at the top level, with nested objects inside alternatives', () => {
    const top: EventPattern = {
      $or: [{ source: ['aws.guardduty'] }, { detail: { eventName: ['StopLogging', 'DeleteTrail'] } }],
    };
    expect(matchesEventPattern(top, { source: 'aws.guardduty' })).toBe(true);
    expect(matchesEventPattern(top, { source: 'aws.cloudtrail', detail: { eventName: 'DeleteTrail' } })).toBe(
      true,
    );
    expect(
      matchesEventPattern(top, { source: 'aws.cloudtrail', detail: { eventName: 'StartLogging' } }),
    ).toBe(false);
  });

  it('nests: an alternative may hold its own $or', () => {
    const nested: EventPattern = {
      detail: {
        $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { e: [{ numeric: ['>', 10] }] }] }],
      },
    };
    expect(matchesEventPattern(nested, { detail: { a: '1' } })).toBe(true);
    expect(matchesEventPattern(nested, { detail: { b: '2', c: '3' } })).toBe(true);
    expect(matchesEventPattern(nested, { detail: { b: '2', e: 11 } })).toBe(true);
    expect(matchesEventPattern(nested, { detail: { b: '2', e: 10 } })).toBe(false);
    expect(matchesEventPattern(nested, { detail: { c: '3' } })).toBe(false);
  });

  it('with exists:false in an alternative, matches a field that is absent or has a value', () => {
    const publicAccess: EventPattern = {
      detail: { $or: [{ BlockPublicAcls: [false] }, { BlockPublicAcls: [{ exists: false }] }] },
    };
    expect(matchesEventPattern(publicAccess, { detail: {} })).toBe(true);
    expect(matchesEventPattern(publicAccess, { detail: { BlockPublicAcls: false } })).toBe(true);
    expect(matchesEventPattern(publicAccess, { detail: { BlockPublicAcls: true } })).toBe(false);
  });

  it('applies $or to each element when the nested pattern meets an array of objects', () => {
    const p: EventPattern = { detail: { items: { $or: [{ a: ['1'] }, { b: ['2'] }] } } };
    expect(matchesEventPattern(p, { detail: { items: [{ a: '0' }, { b: '2' }] } })).toBe(true);
    expect(matchesEventPattern(p, { detail: { items: [{ a: '0' }, { b: '3' }] } })).toBe(false);
  });
});

describe('matchesEventPattern: string matchers', () => {
  it('prefix', () => {
    expect(field([{ prefix: 'arn:aws:iam::' }], 'arn:aws:iam::1:user/a')).toBe(true);
    expect(field([{ prefix: 'arn:aws:iam::' }], 'arn:aws:s3:::b')).toBe(false);
    expect(field([{ prefix: 'ARN' }], 'arn:x')).toBe(false);
    expect(field([{ prefix: '' }], 'anything')).toBe(true);
    expect(field([{ prefix: '1' }], 12)).toBe(false);
    expect(field([{ prefix: 'n' }], null)).toBe(false);
    expect(field([{ prefix: 'a' }])).toBe(false);
    expect(field([{ prefix: 'b' }], ['a', 'bc'])).toBe(true);
  });

  it('prefix with equals-ignore-case', () => {
    expect(field([{ prefix: { 'equals-ignore-case': 'EVENTB' } }], 'EventBridge')).toBe(true);
    expect(field([{ prefix: { 'equals-ignore-case': 'eventx' } }], 'EventBridge')).toBe(false);
    expect(field([{ prefix: { 'equals-ignore-case': 'e' } }], 5)).toBe(false);
  });

  it('suffix, also with equals-ignore-case', () => {
    expect(field([{ suffix: '.png' }], 'a/b.png')).toBe(true);
    expect(field([{ suffix: '.png' }], 'a/b.PNG')).toBe(false);
    expect(field([{ suffix: '.png' }], 'a/b.png.txt')).toBe(false);
    expect(field([{ suffix: { 'equals-ignore-case': '.png' } }], 'a/b.PNG')).toBe(true);
    expect(field([{ suffix: { 'equals-ignore-case': '.jpg' } }], 'a/b.PNG')).toBe(false);
    expect(field([{ suffix: '5' }], 5)).toBe(false);
  });

  it('equals-ignore-case', () => {
    expect(field([{ 'equals-ignore-case': 'alice' }], 'ALICE')).toBe(true);
    expect(field([{ 'equals-ignore-case': 'alice' }], 'AliCe')).toBe(true);
    expect(field([{ 'equals-ignore-case': 'alice' }], 'alicia')).toBe(false);
    expect(field([{ 'equals-ignore-case': 'true' }], true)).toBe(false);
    expect(field([{ 'equals-ignore-case': '' }], '')).toBe(true);
  });

  it('wildcard: * is any run, anchored at both ends', () => {
    const role = [{ wildcard: 'arn:aws:iam::*:role/cordon-*' }];
    expect(field(role, 'arn:aws:iam::123456789012:role/cordon-responder')).toBe(true);
    expect(field(role, 'arn:aws:iam::123456789012:role/cordon-')).toBe(true);
    expect(field(role, 'arn:aws:iam::123456789012:user/cordon-x')).toBe(false);
    expect(field(role, 'xarn:aws:iam::1:role/cordon-a')).toBe(false);
    expect(field([{ wildcard: 'a*b' }], 'ab')).toBe(true);
    expect(field([{ wildcard: 'a*b' }], 'a\nb')).toBe(true);
    expect(field([{ wildcard: 'a*b' }], 'abc')).toBe(false);
    expect(field([{ wildcard: 'a*aa' }], 'aa')).toBe(false);
    expect(field([{ wildcard: 'a*aa' }], 'aaa')).toBe(true);
    expect(field([{ wildcard: '*a*b*a*' }], 'xxaxxbxa')).toBe(true);
    expect(field([{ wildcard: '*a*b*a*' }], 'xxaxxbx')).toBe(false);
    expect(field([{ wildcard: '*' }], '')).toBe(true);
    expect(field([{ wildcard: 'exact' }], 'exact')).toBe(true);
    expect(field([{ wildcard: 'exact' }], 'exactly')).toBe(false);
  });

  it('wildcard: \\* is a literal star and \\\\ a literal backslash', () => {
    expect(field([{ wildcard: 'a\\*b' }], 'a*b')).toBe(true);
    expect(field([{ wildcard: 'a\\*b' }], 'axb')).toBe(false);
    expect(field([{ wildcard: 'a\\\\*' }], 'a\\anything')).toBe(true);
    expect(field([{ wildcard: 'a\\\\*' }], 'ab')).toBe(false);
    expect(field([{ wildcard: '\\**' }], '*tail')).toBe(true);
    expect(field([{ wildcard: '\\**' }], 'tail')).toBe(false);
  });

  it('wildcard matches strings only', () => {
    expect(field([{ wildcard: '*' }], 5)).toBe(false);
    expect(field([{ wildcard: '*' }], null)).toBe(false);
    expect(field([{ wildcard: '*' }])).toBe(false);
  });
});

describe('matchesEventPattern: anything-but', () => {
  it('excludes a single string or number', () => {
    expect(field([{ 'anything-but': 'initializing' }], 'running')).toBe(true);
    expect(field([{ 'anything-but': 'initializing' }], 'initializing')).toBe(false);
    expect(field([{ 'anything-but': 123 }], 124)).toBe(true);
    expect(field([{ 'anything-but': 123 }], 123)).toBe(false);
  });

  it('excludes a list of strings or of numbers', () => {
    expect(field([{ 'anything-but': ['stopped', 'overloaded'] }], 'running')).toBe(true);
    expect(field([{ 'anything-but': ['stopped', 'overloaded'] }], 'stopped')).toBe(false);
    expect(field([{ 'anything-but': [100, 200, 300] }], 150)).toBe(true);
    expect(field([{ 'anything-but': [100, 200, 300] }], 300)).toBe(false);
  });

  it('does not match an absent field, but matches null and values of another type', () => {
    expect(field([{ 'anything-but': 'a' }])).toBe(false);
    expect(field([{ 'anything-but': 'a' }], null)).toBe(true);
    expect(field([{ 'anything-but': '5' }], 5)).toBe(true);
    expect(field([{ 'anything-but': 5 }], '5')).toBe(true);
    expect(field([{ 'anything-but': [1] }], true)).toBe(true);
  });

  it('on an array, matches when any element is not excluded', () => {
    expect(field([{ 'anything-but': 'a' }], ['a', 'b'])).toBe(true);
    expect(field([{ 'anything-but': ['a', 'b'] }], ['a', 'b'])).toBe(false);
  });

  it('prefix and suffix (single or list)', () => {
    expect(field([{ 'anything-but': { prefix: 'us-' } }], 'eu-west-1')).toBe(true);
    expect(field([{ 'anything-but': { prefix: 'us-' } }], 'us-east-1')).toBe(false);
    expect(field([{ 'anything-but': { prefix: ['us-', 'eu-'] } }], 'eu-west-1')).toBe(false);
    expect(field([{ 'anything-but': { prefix: ['us-', 'eu-'] } }], 'ap-south-1')).toBe(true);
    expect(field([{ 'anything-but': { suffix: '.png' } }], 'a.jpg')).toBe(true);
    expect(field([{ 'anything-but': { suffix: '.png' } }], 'a.png')).toBe(false);
    expect(field([{ 'anything-but': { prefix: 'us-' } }], 12)).toBe(true);
    expect(field([{ 'anything-but': { prefix: 'us-' } }], null)).toBe(true);
    expect(field([{ 'anything-but': { prefix: 'us-' } }])).toBe(false);
  });

  it('equals-ignore-case (single or list) and wildcard (single or list)', () => {
    expect(field([{ 'anything-but': { 'equals-ignore-case': 'Initializing' } }], 'INITIALIZING')).toBe(false);
    expect(field([{ 'anything-but': { 'equals-ignore-case': 'Initializing' } }], 'running')).toBe(true);
    expect(field([{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }], 'b')).toBe(false);
    expect(field([{ 'anything-but': { wildcard: '*/lib/*' } }], '/usr/lib/x')).toBe(false);
    expect(field([{ 'anything-but': { wildcard: '*/lib/*' } }], '/usr/bin/x')).toBe(true);
    expect(field([{ 'anything-but': { wildcard: ['*.png', '*.jpg'] } }], 'a.jpg')).toBe(false);
    expect(field([{ 'anything-but': { wildcard: '' } }], 'dir/file')).toBe(true);
    expect(field([{ 'anything-but': { wildcard: '*' } }], 7)).toBe(true);
  });
});

describe('matchesEventPattern: numeric', () => {
  it('matches ranges and comparisons on JSON numbers', () => {
    const range = [{ numeric: ['>', 0, '<=', 5] }];
    expect(field(range, 5)).toBe(true);
    expect(field(range, 0.000001)).toBe(true);
    expect(field(range, 0)).toBe(false);
    expect(field(range, 5.000001)).toBe(false);
    expect(field([{ numeric: ['<=', 5, '>', 0] }], 3)).toBe(true);
    expect(field([{ numeric: ['>=', 7] }], 7)).toBe(true);
    expect(field([{ numeric: ['>', 7] }], 7)).toBe(false);
    expect(field([{ numeric: ['<', 7] }], -7)).toBe(true);
    expect(field([{ numeric: ['<', 7] }], 7)).toBe(false);
    expect(field([{ numeric: ['=', 3.018e2] }], 301.8)).toBe(true);
    expect(field([{ numeric: ['=', 3.018e2] }], 301.81)).toBe(false);
  });

  it('does not match strings (even numeric ones), booleans, null, or an absent field', () => {
    const positive = [{ numeric: ['>', 0] }];
    expect(field(positive, '5')).toBe(false);
    expect(field(positive, true)).toBe(false);
    expect(field(positive, null)).toBe(false);
    expect(field(positive)).toBe(false);
  });

  it('matches an array when any element is in range', () => {
    expect(field([{ numeric: ['>', 10] }], [1, '20', 30])).toBe(true);
    expect(field([{ numeric: ['>', 10] }], [1, '20'])).toBe(false);
  });

  it('ORs with the other leaves of the array', () => {
    expect(field([{ numeric: ['>=', 7] }, 'high'], 'high')).toBe(true);
    expect(field([{ numeric: ['>=', 7] }, 'high'], 8.5)).toBe(true);
    expect(field([{ numeric: ['>=', 7] }, 'high'], 2)).toBe(false);
  });
});

describe('matchesEventPattern: exists', () => {
  it('exists:true matches any leaf, null and empty string included', () => {
    for (const value of ['x', '', 0, false, null, ['a']]) expect(field([{ exists: true }], value)).toBe(true);
    expect(field([{ exists: true }])).toBe(false);
  });

  it('exists:false matches only when there is no leaf', () => {
    expect(field([{ exists: false }])).toBe(true);
    for (const value of ['x', '', 0, false, null, ['a'], [null]])
      expect(field([{ exists: false }], value)).toBe(false);
  });

  it('exists works on leaves only: an object is not a leaf (EventBridge documentation example)', () => {
    const pattern: EventPattern = { detail: { 'c-count': [{ exists: false }] } };
    expect(matchesEventPattern(pattern, { detail: { state: 'running' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: 'running', 'c-count': { c1: 100 } } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { state: 'running', 'c-count': 100 } })).toBe(false);
  });

  it('exists:false under a missing or non-object parent matches', () => {
    const pattern: EventPattern = { detail: { parent: { child: [{ exists: false }] } } };
    expect(matchesEventPattern(pattern, { detail: {} })).toBe(true);
    expect(matchesEventPattern(pattern, {})).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { parent: 'leaf' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { parent: [] } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { parent: { child: 'x' } } })).toBe(false);
  });

  it('exists:false in an array of objects holds for the element that lacks the field', () => {
    const pattern: EventPattern = { detail: { items: { name: ['a'], tag: [{ exists: false }] } } };
    expect(
      matchesEventPattern(pattern, { detail: { items: [{ name: 'a', tag: 't' }, { name: 'a' }] } }),
    ).toBe(true);
    expect(
      matchesEventPattern(pattern, { detail: { items: [{ name: 'a', tag: 't' }, { name: 'b' }] } }),
    ).toBe(false);
  });
});

describe('matchesEventPattern: cidr', () => {
  it('IPv4', () => {
    expect(field([{ cidr: '10.0.0.0/24' }], '10.0.0.0')).toBe(true);
    expect(field([{ cidr: '10.0.0.0/24' }], '10.0.0.255')).toBe(true);
    expect(field([{ cidr: '10.0.0.0/24' }], '10.0.1.0')).toBe(false);
    expect(field([{ cidr: '10.0.0.0/8' }], '11.0.0.0')).toBe(false);
    expect(field([{ cidr: '0.0.0.0/0' }], '255.255.255.255')).toBe(true);
    expect(field([{ cidr: '203.0.113.7/32' }], '203.0.113.7')).toBe(true);
    expect(field([{ cidr: '203.0.113.7/32' }], '203.0.113.8')).toBe(false);
    expect(field([{ cidr: '203.0.113.7' }], '203.0.113.7')).toBe(true);
  });

  it('masks the host bits of the block', () => {
    expect(field([{ cidr: '10.0.0.77/24' }], '10.0.0.1')).toBe(true);
    expect(field([{ cidr: '10.0.0.77/24' }], '10.0.1.1')).toBe(false);
  });

  it('IPv6, compressed and with an embedded IPv4 tail', () => {
    expect(field([{ cidr: '2001:db8::/32' }], '2001:db8:1::5')).toBe(true);
    expect(field([{ cidr: '2001:db8::/32' }], '2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe(true);
    expect(field([{ cidr: '2001:db8::/32' }], '2001:db9::5')).toBe(false);
    expect(field([{ cidr: '::1/128' }], '::1')).toBe(true);
    expect(field([{ cidr: '::1/128' }], '::2')).toBe(false);
    expect(field([{ cidr: '::ffff:0:0/96' }], '::ffff:10.0.0.1')).toBe(true);
    expect(field([{ cidr: 'fe80::/10' }], 'febf:ffff::1')).toBe(true);
    expect(field([{ cidr: 'fe80::/10' }], 'fec0::1')).toBe(false);
    expect(field([{ cidr: '2001:db8::/32' }], '2001:db8::1::1')).toBe(false);
  });

  it('parses IPv6 text strictly', () => {
    const any6 = [{ cidr: '::/0' }];
    for (const value of [
      '::',
      '1::',
      '::1',
      '1:2:3:4:5:6:7:8',
      '1:2:3:4:5:6::8',
      '0:0:0:0:0:ffff:1.2.3.4',
      'ABCD::ef01',
    ]) {
      expect([value, field(any6, value)]).toEqual([value, true]);
    }
    for (const value of [
      ':::',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8::',
      ':1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:',
      '12345::1',
      'g::1',
      'fe80::1%eth0',
      '1.2.3.4::',
      '::1.2.3',
      '::ffff:1.2.3.4.5',
    ]) {
      expect([value, field(any6, value)]).toEqual([value, false]);
    }
  });

  it('never mixes address families', () => {
    expect(field([{ cidr: '0.0.0.0/0' }], '::1')).toBe(false);
    expect(field([{ cidr: '0.0.0.0/0' }], '::ffff:10.0.0.1')).toBe(false);
    expect(field([{ cidr: '::/0' }], '10.0.0.1')).toBe(false);
  });

  it('does not match non-addresses, non-strings, or absent fields', () => {
    const any4 = [{ cidr: '0.0.0.0/0' }];
    for (const value of [
      'AWS Internal',
      'ec2.amazonaws.com',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '01.2.3.4',
      '',
      123,
      null,
    ]) {
      expect(field(any4, value)).toBe(false);
    }
    expect(field(any4)).toBe(false);
    expect(field(any4, ['AWS Internal', '192.0.2.1'])).toBe(true);
  });
});

describe('validateEventPattern', () => {
  it('accepts every documented operator', () => {
    const pattern: EventPattern = {
      source: ['aws.iam'],
      resources: [{ prefix: 'arn:' }],
      detail: {
        a: ['x', 5, true, null, ''],
        b: [
          { prefix: { 'equals-ignore-case': 'x' } },
          { suffix: '.png' },
          { suffix: { 'equals-ignore-case': 'X' } },
        ],
        c: [
          { 'anything-but': 'x' },
          { 'anything-but': 5 },
          { 'anything-but': ['x', 'y'] },
          { 'anything-but': [1, 2] },
        ],
        d: [
          { 'anything-but': { prefix: 'x' } },
          { 'anything-but': { suffix: ['x', 'y'] } },
          { 'anything-but': { 'equals-ignore-case': ['x'] } },
          { 'anything-but': { wildcard: '*/lib/*' } },
        ],
        e: [{ numeric: ['>', 0, '<=', 5] }, { numeric: ['=', 3.018e2] }, { numeric: ['<', 10] }],
        f: [{ exists: true }, { exists: false }],
        g: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }],
        h: [{ wildcard: 'a*b\\*c\\\\' }, { 'equals-ignore-case': 'x' }],
        $or: [{ i: ['1'] }, { j: { k: ['2'] }, $or: [{ l: ['3'] }, { m: ['4'] }] }],
      },
    };
    expect(validateEventPattern(pattern)).toEqual([]);
  });

  it.each([
    ['a non-object pattern', ['x'], 'must be a JSON object'],
    ['an empty pattern', {}, 'empty objects are not allowed'],
    ['an empty nested object', { detail: {} }, 'detail: empty objects are not allowed'],
    ['a bare value', { source: 'aws.iam' }, 'source: must be an object or an array'],
    ['an empty array', { source: [] }, 'source: empty arrays are not allowed'],
    ['an array inside a leaf array', { source: [['x']] }, 'source[0]: must be a string'],
    ['an unknown matcher', { source: [{ contains: 'x' }] }, 'unknown matcher "contains"'],
    ['a matcher with two keys', { source: [{ prefix: 'a', suffix: 'b' }] }, 'exactly one key'],
    ['a non-boolean exists', { f: [{ exists: 'yes' }] }, 'exists must be true or false'],
    ['a numeric prefix', { f: [{ prefix: 5 }] }, 'prefix must be a string'],
    ['a list prefix', { f: [{ prefix: ['a'] }] }, 'prefix must be a string'],
    [
      'a list equals-ignore-case',
      { f: [{ 'equals-ignore-case': ['a'] }] },
      'equals-ignore-case must be a string',
    ],
    ['consecutive wildcards', { f: [{ wildcard: 'a**b' }] }, 'consecutive wildcard'],
    ['a bad wildcard escape', { f: [{ wildcard: 'a\\b' }] }, 'backslash must escape'],
    ['a trailing backslash', { f: [{ wildcard: 'a\\' }] }, 'backslash must escape'],
    ['a bad cidr', { f: [{ cidr: '10.0.0.0/33' }] }, 'is not an IPv4 or IPv6 CIDR block'],
    ['a cidr that is not an address', { f: [{ cidr: 'ten/8' }] }, 'CIDR block'],
    ['a bad numeric operator', { f: [{ numeric: ['>>', 1] }] }, 'numeric operator ">>"'],
    ['a string numeric operand', { f: [{ numeric: ['>', '1'] }] }, 'must be a number'],
    ['an odd numeric array', { f: [{ numeric: ['>', 1, '<'] }] }, 'one or two [operator, number] pairs'],
    ['two lower bounds', { f: [{ numeric: ['>', 1, '>=', 2] }] }, 'one lower bound'],
    ['an empty numeric range', { f: [{ numeric: ['>', 5, '<', 5] }] }, 'numeric range is empty'],
    ['a null anything-but', { f: [{ 'anything-but': null }] }, 'anything-but must be'],
    ['a mixed anything-but list', { f: [{ 'anything-but': ['a', 1] }] }, 'only strings or only numbers'],
    ['an empty anything-but list', { f: [{ 'anything-but': [] }] }, 'must not be empty'],
    [
      'an empty anything-but prefix',
      { f: [{ 'anything-but': { prefix: '' } }] },
      'anything-but prefix must not be empty',
    ],
    [
      'a numeric anything-but prefix',
      { f: [{ 'anything-but': { prefix: 5 } }] },
      'anything-but prefix must be a string',
    ],
    [
      'anything-but prefix ignoring case',
      { f: [{ 'anything-but': { prefix: { 'equals-ignore-case': 'x' } } }] },
      'anything-but prefix must be a string',
    ],
    [
      'anything-but numeric',
      { f: [{ 'anything-but': { numeric: ['>', 1] } }] },
      'does not support "numeric"',
    ],
    ['a bad anything-but wildcard', { f: [{ 'anything-but': { wildcard: 'a**' } }] }, 'consecutive wildcard'],
    ['a one-branch $or', { $or: [{ a: ['1'] }] }, '$or must be an array of at least two'],
    [
      'an $or of matchers',
      { f: { $or: [{ prefix: 'a' }, { suffix: 'b' }] } },
      '$or must be an array of at least two',
    ],
    ['an invalid $or branch', { $or: [{ a: ['1'] }, { b: 'x' }] }, '$or[1].b: must be an object or an array'],
  ])('reports %s', (_name, pattern, problem) => {
    const problems = validateEventPattern(pattern);
    expect(problems).toEqual([expect.stringContaining(problem)]);
  });

  it('reports every problem, each with its path', () => {
    expect(validateEventPattern({ source: [], detail: { a: 'x', b: [{ exists: 1 }] } })).toEqual([
      'source: empty arrays are not allowed',
      'detail.a: must be an object or an array',
      'detail.b[0]: exists must be true or false',
    ]);
  });
});

describe('compileEventPattern', () => {
  it('throws on an invalid pattern, naming the problem', () => {
    expect(() => compileEventPattern({ source: [] })).toThrow('source: empty arrays are not allowed');
    expect(() => matchesEventPattern({ f: [{ wildcard: 'a**' }] }, {})).toThrow('consecutive wildcard');
  });

  it('compiles a pattern once and reuses it', () => {
    const pattern: EventPattern = { detail: { f: [{ wildcard: '*x*' }] } };
    const compiled = compileEventPattern(pattern);
    expect(compileEventPattern(pattern)).toBe(compiled);
    expect(compiled({ detail: { f: 'axb' } })).toBe(true);
    expect(matchesEventPattern(pattern, { detail: { f: 'ab' } })).toBe(false);
  });

  // Speed is shown by `npm run bench`, never by a timed assertion: this checks the result over many events.
  it('gives the same answer over 100,000 events as over one', () => {
    const pattern: EventPattern = {
      source: ['aws.iam', 'aws.sts'],
      detail: {
        eventName: [{ prefix: 'Create' }, 'AttachUserPolicy'],
        userIdentity: { arn: [{ 'anything-but': { wildcard: 'arn:aws:iam::*:role/cordon-*' } }] },
        sourceIPAddress: [{ cidr: '203.0.113.0/24' }, { cidr: '2001:db8::/32' }],
        $or: [{ errorCode: [{ exists: false }] }, { errorCode: ['AccessDenied'] }],
      },
    };
    const events = Array.from({ length: 1000 }, (_, i) => ({
      ...CLOUDTRAIL_EVENT,
      detail: { ...CLOUDTRAIL_EVENT.detail, sourceIPAddress: `203.0.${113 + (i % 2)}.${i % 256}` },
    }));
    let matched = 0;
    for (let round = 0; round < 100; round += 1) {
      for (const event of events) if (matchesEventPattern(pattern, event)) matched += 1;
    }
    expect(matched).toBe(50_000);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const key = fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__' && k !== '$or');
const leaf: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const { object: jsonObject } = fc.letrec<{ object: Record<string, Json>; value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(leaf, { maxLength: 4 }),
    tie('object'),
    fc.array(tie('object'), { maxLength: 3 }),
  ),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A pattern made of the event's own values (exact matches on leaves, nested objects, first objects of arrays). */
function patternFrom(event: Record<string, Json>): Record<string, unknown> | undefined {
  const pattern: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(event)) {
    if (Array.isArray(value)) {
      const firstLeaf = value.find((v) => !isObject(v) && !Array.isArray(v));
      const firstObject = value.find(isObject);
      if (firstLeaf !== undefined) pattern[k] = [firstLeaf];
      else if (firstObject !== undefined) {
        const nested = patternFrom(firstObject);
        if (nested) pattern[k] = nested;
      }
    } else if (isObject(value)) {
      const nested = patternFrom(value);
      if (nested) pattern[k] = nested;
    } else {
      pattern[k] = [value];
    }
  }
  return Object.keys(pattern).length > 0 ? pattern : undefined;
}

const escapeWildcard = (text: string): string => text.replace(/[\\*]/g, (c) => `\\${c}`);

describe('properties', () => {
  it('a pattern built from an event’s own values matches the event', () => {
    fc.assert(
      fc.property(jsonObject, (event) => {
        const pattern = patternFrom(event);
        fc.pre(pattern !== undefined);
        expect(validateEventPattern(pattern)).toEqual([]);
        expect(matchesEventPattern(pattern as EventPattern, event)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('anything-but of a present scalar value and exists:false never match it; exists:true always does', () => {
    fc.assert(
      fc.property(leaf, (value) => {
        const anythingBut =
          typeof value === 'string' || typeof value === 'number' ? [{ 'anything-but': value }] : undefined;
        if (anythingBut) expect(field(anythingBut, value)).toBe(false);
        expect(field([{ exists: false }], value)).toBe(false);
        expect(field([{ exists: true }], value)).toBe(true);
      }),
    );
  });

  it('prefix p agrees with wildcard p* and suffix p with wildcard *p', () => {
    const text = fc.string({ maxLength: 6, unit: fc.constantFrom('a', 'b', '*', '\\', 'A') });
    fc.assert(
      fc.property(text, text, fc.boolean(), (p, rest, glue) => {
        const value = glue ? p + rest : rest;
        expect(field([{ prefix: p }], value)).toBe(field([{ wildcard: `${escapeWildcard(p)}*` }], value));
        const suffixed = glue ? rest + p : rest;
        expect(field([{ suffix: p }], suffixed)).toBe(
          field([{ wildcard: `*${escapeWildcard(p)}` }], suffixed),
        );
        expect(field([{ 'anything-but': { prefix: p || 'x' } }], value)).toBe(
          !field([{ prefix: p || 'x' }], value),
        );
      }),
    );
  });

  it('$or of two sub-patterns is the OR of the two', () => {
    fc.assert(
      fc.property(jsonObject, leaf, leaf, (event, x, y) => {
        const a = { k1: [x] } as EventPattern;
        const b = { k2: [y] } as EventPattern;
        const withValues = { ...event, k1: x, k2: y };
        for (const e of [event, withValues, { ...event, k1: x }]) {
          expect(matchesEventPattern({ $or: [a, b] }, e)).toBe(
            matchesEventPattern(a, e) || matchesEventPattern(b, e),
          );
        }
      }),
    );
  });
});
