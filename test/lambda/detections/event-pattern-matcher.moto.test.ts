import type { EventPattern } from '../../../lambda/detections/types';
import { matchesEventPattern } from '../../../lambda/detections/event-pattern-matcher';
import { MOTO_EVENTBRIDGE_DEVIATIONS, motoRoutes } from '../../support/eventbridge-routing';

/** An EventBridge envelope around a detail, as EventBridge delivers it. */
function envelope(
  detail: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: '123456789012',
    time: '2024-05-01T12:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...overrides,
  };
}

interface Case {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly event: Record<string, unknown>;
  /** What EventBridge does, per its documentation. */
  readonly matches: boolean;
}

const d = (detail: Record<string, unknown>, overrides?: Record<string, unknown>) =>
  envelope(detail, overrides);

/** Every operator moto implements, positive and negative: here the local matcher and moto must agree. */
const AGREEMENT: Case[] = [
  // envelope fields
  { name: 'source exact', pattern: { source: ['aws.iam'] }, event: d({}), matches: true },
  { name: 'source exact, other', pattern: { source: ['aws.ec2'] }, event: d({}), matches: false },
  { name: 'source OR list', pattern: { source: ['aws.ec2', 'aws.iam'] }, event: d({}), matches: true },
  {
    name: 'detail-type and source AND',
    pattern: { source: ['aws.iam'], 'detail-type': ['AWS API Call via CloudTrail'] },
    event: d({}),
    matches: true,
  },
  {
    name: 'detail-type mismatch fails the AND',
    pattern: { source: ['aws.iam'], 'detail-type': ['GuardDuty Finding'] },
    event: d({}),
    matches: false,
  },
  {
    name: 'resources: any element',
    pattern: { resources: ['arn:aws:iam::123456789012:user/b'] },
    event: d({}, { resources: ['arn:aws:iam::123456789012:user/a', 'arn:aws:iam::123456789012:user/b'] }),
    matches: true,
  },
  {
    name: 'resources: no element',
    pattern: { resources: ['arn:aws:iam::123456789012:user/c'] },
    event: d({}, { resources: ['arn:aws:iam::123456789012:user/a'] }),
    matches: false,
  },
  {
    name: 'resources prefix on elements',
    pattern: { resources: [{ prefix: 'arn:aws:iam::123456789012:user/' }] },
    event: d({}, { resources: ['arn:aws:s3:::b', 'arn:aws:iam::123456789012:user/a'] }),
    matches: true,
  },
  {
    name: 'region',
    pattern: { region: ['eu-west-1'] },
    event: d({}, { region: 'eu-west-1' }),
    matches: true,
  },
  { name: 'region, other', pattern: { region: ['eu-west-1'] }, event: d({}), matches: false },
  {
    name: 'account',
    pattern: { account: ['210987654321'] },
    event: d({}, { account: '210987654321' }),
    matches: true,
  },
  { name: 'account, other', pattern: { account: ['210987654321'] }, event: d({}), matches: false },
  // exact values in detail
  {
    name: 'nested exact',
    pattern: { detail: { eventName: ['CreateUser'] } },
    event: d({ eventName: 'CreateUser' }),
    matches: true,
  },
  {
    name: 'nested exact, other',
    pattern: { detail: { eventName: ['CreateUser'] } },
    event: d({ eventName: 'DeleteUser' }),
    matches: false,
  },
  {
    name: 'exact is case-sensitive',
    pattern: { detail: { eventName: ['createuser'] } },
    event: d({ eventName: 'CreateUser' }),
    matches: false,
  },
  {
    name: 'deep nesting',
    pattern: { detail: { a: { b: { c: ['x'] } } } },
    event: d({ a: { b: { c: 'x' } } }),
    matches: true,
  },
  {
    name: 'deep nesting, absent',
    pattern: { detail: { a: { b: { c: ['x'] } } } },
    event: d({ a: { b: {} } }),
    matches: false,
  },
  { name: 'number exact', pattern: { detail: { n: [5] } }, event: d({ n: 5 }), matches: true },
  { name: 'number exact, 5.0', pattern: { detail: { n: [5] } }, event: d({ n: 5.0 }), matches: true },
  {
    name: 'number does not match its string',
    pattern: { detail: { n: [5] } },
    event: d({ n: '5' }),
    matches: false,
  },
  {
    name: 'string does not match its number',
    pattern: { detail: { n: ['5'] } },
    event: d({ n: 5 }),
    matches: false,
  },
  { name: 'boolean exact', pattern: { detail: { b: [false] } }, event: d({ b: false }), matches: true },
  {
    name: 'boolean does not match string',
    pattern: { detail: { b: [false] } },
    event: d({ b: 'false' }),
    matches: false,
  },
  { name: 'null exact', pattern: { detail: { n: [null] } }, event: d({ n: null }), matches: true },
  { name: 'null does not match absent', pattern: { detail: { n: [null] } }, event: d({}), matches: false },
  {
    name: 'null does not match empty string',
    pattern: { detail: { n: [null] } },
    event: d({ n: '' }),
    matches: false,
  },
  { name: 'empty string exact', pattern: { detail: { s: [''] } }, event: d({ s: '' }), matches: true },
  {
    name: 'empty string does not match null',
    pattern: { detail: { s: [''] } },
    event: d({ s: null }),
    matches: false,
  },
  {
    name: 'array in event, any element',
    pattern: { detail: { tags: ['b'] } },
    event: d({ tags: ['a', 'b'] }),
    matches: true,
  },
  {
    name: 'array in event, none',
    pattern: { detail: { tags: ['c'] } },
    event: d({ tags: ['a', 'b'] }),
    matches: false,
  },
  {
    name: 'leaf pattern on an object',
    pattern: { detail: { o: ['x'] } },
    event: d({ o: { k: 'x' } }),
    matches: false,
  },
  {
    name: 'nested pattern on a string',
    pattern: { detail: { o: { k: ['x'] } } },
    event: d({ o: 'x' }),
    matches: false,
  },
  // $or
  {
    name: '$or first branch',
    pattern: { detail: { $or: [{ eventName: ['CreateUser'] }, { errorCode: ['AccessDenied'] }] } },
    event: d({ eventName: 'CreateUser' }),
    matches: true,
  },
  {
    name: '$or second branch',
    pattern: { detail: { $or: [{ eventName: ['CreateUser'] }, { errorCode: ['AccessDenied'] }] } },
    event: d({ eventName: 'ListUsers', errorCode: 'AccessDenied' }),
    matches: true,
  },
  {
    name: '$or no branch',
    pattern: { detail: { $or: [{ eventName: ['CreateUser'] }, { errorCode: ['AccessDenied'] }] } },
    event: d({ eventName: 'ListUsers' }),
    matches: false,
  },
  {
    name: '$or at top level across source and detail',
    pattern: { $or: [{ source: ['aws.guardduty'] }, { detail: { eventName: ['StopLogging'] } }] },
    event: d({ eventName: 'StopLogging' }),
    matches: true,
  },
  {
    name: '$or ANDed with a sibling field',
    pattern: { source: ['aws.ec2'], $or: [{ detail: { a: ['1'] } }, { detail: { b: ['2'] } }] },
    event: d({ a: '1' }),
    matches: false,
  },
  {
    name: 'nested $or inside $or',
    pattern: {
      detail: {
        $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { e: ['4'] }] }],
      },
    },
    event: d({ b: '2', e: '4' }),
    matches: true,
  },
  {
    name: 'nested $or inside $or, inner fails',
    pattern: {
      detail: {
        $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { e: ['4'] }] }],
      },
    },
    event: d({ b: '2', e: '5' }),
    matches: false,
  },
  // prefix / suffix / equals-ignore-case
  {
    name: 'prefix',
    pattern: { detail: { s: [{ prefix: 'arn:aws:iam::' }] } },
    event: d({ s: 'arn:aws:iam::1:user/x' }),
    matches: true,
  },
  {
    name: 'prefix, other',
    pattern: { detail: { s: [{ prefix: 'arn:aws:s3' }] } },
    event: d({ s: 'arn:aws:iam::1:user/x' }),
    matches: false,
  },
  {
    name: 'prefix is case-sensitive',
    pattern: { detail: { s: [{ prefix: 'ARN' }] } },
    event: d({ s: 'arn:x' }),
    matches: false,
  },
  {
    name: 'prefix on a number',
    pattern: { detail: { s: [{ prefix: '1' }] } },
    event: d({ s: 12 }),
    matches: false,
  },
  { name: 'prefix on absent', pattern: { detail: { s: [{ prefix: 'a' }] } }, event: d({}), matches: false },
  {
    name: 'prefix equals-ignore-case',
    pattern: { detail: { s: [{ prefix: { 'equals-ignore-case': 'EVENTB' } }] } },
    event: d({ s: 'EventBridge' }),
    matches: true,
  },
  {
    name: 'prefix equals-ignore-case, other',
    pattern: { detail: { s: [{ prefix: { 'equals-ignore-case': 'EVENTX' } }] } },
    event: d({ s: 'EventBridge' }),
    matches: false,
  },
  {
    name: 'suffix',
    pattern: { detail: { s: [{ suffix: '.png' }] } },
    event: d({ s: 'a/b.png' }),
    matches: true,
  },
  {
    name: 'suffix, other',
    pattern: { detail: { s: [{ suffix: '.png' }] } },
    event: d({ s: 'a/b.PNG' }),
    matches: false,
  },
  {
    name: 'suffix equals-ignore-case',
    pattern: { detail: { s: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
    event: d({ s: 'a/b.PNG' }),
    matches: true,
  },
  {
    name: 'suffix equals-ignore-case, other',
    pattern: { detail: { s: [{ suffix: { 'equals-ignore-case': '.jpg' } }] } },
    event: d({ s: 'a/b.PNG' }),
    matches: false,
  },
  {
    name: 'equals-ignore-case',
    pattern: { detail: { s: [{ 'equals-ignore-case': 'alice' }] } },
    event: d({ s: 'ALICE' }),
    matches: true,
  },
  {
    name: 'equals-ignore-case, other',
    pattern: { detail: { s: [{ 'equals-ignore-case': 'alice' }] } },
    event: d({ s: 'alicia' }),
    matches: false,
  },
  // anything-but
  {
    name: 'anything-but string',
    pattern: { detail: { s: [{ 'anything-but': 'a' }] } },
    event: d({ s: 'b' }),
    matches: true,
  },
  {
    name: 'anything-but string, excluded',
    pattern: { detail: { s: [{ 'anything-but': 'a' }] } },
    event: d({ s: 'a' }),
    matches: false,
  },
  {
    name: 'anything-but on absent',
    pattern: { detail: { s: [{ 'anything-but': 'a' }] } },
    event: d({}),
    matches: false,
  },
  {
    name: 'anything-but on null',
    pattern: { detail: { s: [{ 'anything-but': 'a' }] } },
    event: d({ s: null }),
    matches: true,
  },
  {
    name: 'anything-but string on a number',
    pattern: { detail: { s: [{ 'anything-but': '5' }] } },
    event: d({ s: 5 }),
    matches: true,
  },
  {
    name: 'anything-but number',
    pattern: { detail: { n: [{ 'anything-but': 5 }] } },
    event: d({ n: 6 }),
    matches: true,
  },
  {
    name: 'anything-but number, excluded',
    pattern: { detail: { n: [{ 'anything-but': 5 }] } },
    event: d({ n: 5 }),
    matches: false,
  },
  {
    name: 'anything-but string list',
    pattern: { detail: { s: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: d({ s: 'running' }),
    matches: true,
  },
  {
    name: 'anything-but string list, excluded',
    pattern: { detail: { s: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    event: d({ s: 'overloaded' }),
    matches: false,
  },
  {
    name: 'anything-but number list',
    pattern: { detail: { n: [{ 'anything-but': [100, 200] }] } },
    event: d({ n: 150 }),
    matches: true,
  },
  {
    name: 'anything-but number list, excluded',
    pattern: { detail: { n: [{ 'anything-but': [100, 200] }] } },
    event: d({ n: 200 }),
    matches: false,
  },
  {
    name: 'anything-but on an array: one element not excluded',
    pattern: { detail: { s: [{ 'anything-but': 'a' }] } },
    event: d({ s: ['a', 'b'] }),
    matches: true,
  },
  {
    name: 'anything-but on an array: all excluded',
    pattern: { detail: { s: [{ 'anything-but': ['a', 'b'] }] } },
    event: d({ s: ['a', 'b'] }),
    matches: false,
  },
  {
    name: 'anything-but prefix',
    pattern: { detail: { s: [{ 'anything-but': { prefix: 'us-' } }] } },
    event: d({ s: 'eu-west-1' }),
    matches: true,
  },
  {
    name: 'anything-but prefix, excluded',
    pattern: { detail: { s: [{ 'anything-but': { prefix: 'us-' } }] } },
    event: d({ s: 'us-east-1' }),
    matches: false,
  },
  {
    name: 'anything-but prefix on a number',
    pattern: { detail: { s: [{ 'anything-but': { prefix: 'us-' } }] } },
    event: d({ s: 12 }),
    matches: true,
  },
  {
    name: 'anything-but prefix on absent',
    pattern: { detail: { s: [{ 'anything-but': { prefix: 'us-' } }] } },
    event: d({}),
    matches: false,
  },
  {
    name: 'anything-but prefix list',
    pattern: { detail: { s: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] } },
    event: d({ s: 'eu-west-1' }),
    matches: false,
  },
  {
    name: 'anything-but suffix',
    pattern: { detail: { s: [{ 'anything-but': { suffix: '.png' } }] } },
    event: d({ s: 'a.jpg' }),
    matches: true,
  },
  {
    name: 'anything-but suffix, excluded',
    pattern: { detail: { s: [{ 'anything-but': { suffix: '.png' } }] } },
    event: d({ s: 'a.png' }),
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case',
    pattern: { detail: { s: [{ 'anything-but': { 'equals-ignore-case': 'Initializing' } }] } },
    event: d({ s: 'running' }),
    matches: true,
  },
  {
    name: 'anything-but equals-ignore-case, excluded',
    pattern: { detail: { s: [{ 'anything-but': { 'equals-ignore-case': 'Initializing' } }] } },
    event: d({ s: 'INITIALIZING' }),
    matches: false,
  },
  {
    name: 'anything-but equals-ignore-case list, excluded',
    pattern: { detail: { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] } },
    event: d({ s: 'b' }),
    matches: false,
  },
  {
    name: 'anything-but wildcard',
    pattern: { detail: { s: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: d({ s: '/usr/bin/x' }),
    matches: true,
  },
  {
    name: 'anything-but wildcard, excluded',
    pattern: { detail: { s: [{ 'anything-but': { wildcard: '*/lib/*' } }] } },
    event: d({ s: '/usr/lib/x' }),
    matches: false,
  },
  {
    name: 'anything-but wildcard list, excluded',
    pattern: { detail: { s: [{ 'anything-but': { wildcard: ['*.png', '*.jpg'] } }] } },
    event: d({ s: 'a.jpg' }),
    matches: false,
  },
  // numeric
  {
    name: 'numeric range inside',
    pattern: { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } },
    event: d({ n: 5 }),
    matches: true,
  },
  {
    name: 'numeric range lower edge',
    pattern: { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } },
    event: d({ n: 0 }),
    matches: false,
  },
  {
    name: 'numeric range above',
    pattern: { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } },
    event: d({ n: 5.5 }),
    matches: false,
  },
  {
    name: 'numeric >=',
    pattern: { detail: { n: [{ numeric: ['>=', 7] }] } },
    event: d({ n: 7 }),
    matches: true,
  },
  {
    name: 'numeric <',
    pattern: { detail: { n: [{ numeric: ['<', 7] }] } },
    event: d({ n: 7 }),
    matches: false,
  },
  {
    name: 'numeric =',
    pattern: { detail: { n: [{ numeric: ['=', 301.8] }] } },
    event: d({ n: 301.8 }),
    matches: true,
  },
  {
    name: 'numeric on a numeric string',
    pattern: { detail: { n: [{ numeric: ['>', 0] }] } },
    event: d({ n: '5' }),
    matches: false,
  },
  {
    name: 'numeric on absent',
    pattern: { detail: { n: [{ numeric: ['>', 0] }] } },
    event: d({}),
    matches: false,
  },
  {
    name: 'numeric on null',
    pattern: { detail: { n: [{ numeric: ['>', 0] }] } },
    event: d({ n: null }),
    matches: false,
  },
  {
    name: 'numeric on an array',
    pattern: { detail: { n: [{ numeric: ['>', 10] }] } },
    event: d({ n: [1, 20] }),
    matches: true,
  },
  {
    name: 'numeric negative',
    pattern: { detail: { n: [{ numeric: ['<', 0] }] } },
    event: d({ n: -1.5 }),
    matches: true,
  },
  // exists
  {
    name: 'exists true, present',
    pattern: { detail: { s: [{ exists: true }] } },
    event: d({ s: 'x' }),
    matches: true,
  },
  {
    name: 'exists true, absent',
    pattern: { detail: { s: [{ exists: true }] } },
    event: d({}),
    matches: false,
  },
  {
    name: 'exists true, null',
    pattern: { detail: { s: [{ exists: true }] } },
    event: d({ s: null }),
    matches: true,
  },
  {
    name: 'exists true, empty string',
    pattern: { detail: { s: [{ exists: true }] } },
    event: d({ s: '' }),
    matches: true,
  },
  {
    name: 'exists true, non-leaf object',
    pattern: { detail: { s: [{ exists: true }] } },
    event: d({ s: { k: 1 } }),
    matches: false,
  },
  {
    name: 'exists false, absent',
    pattern: { detail: { s: [{ exists: false }] } },
    event: d({}),
    matches: true,
  },
  {
    name: 'exists false, present',
    pattern: { detail: { s: [{ exists: false }] } },
    event: d({ s: 'x' }),
    matches: false,
  },
  {
    name: 'exists false, null',
    pattern: { detail: { s: [{ exists: false }] } },
    event: d({ s: null }),
    matches: false,
  },
  {
    name: 'exists false, non-leaf object',
    pattern: { detail: { s: [{ exists: false }] } },
    event: d({ s: { k: 1 } }),
    matches: true,
  },
  {
    name: 'exists false under a missing parent',
    pattern: { detail: { p: { s: [{ exists: false }] } } },
    event: d({}),
    matches: true,
  },
  {
    name: 'exists false or a value',
    pattern: { detail: { s: [{ exists: false }, 'x'] } },
    event: d({ s: 'x' }),
    matches: true,
  },
  // cidr
  {
    name: 'cidr v4 inside',
    pattern: { detail: { ip: [{ cidr: '10.0.0.0/24' }] } },
    event: d({ ip: '10.0.0.255' }),
    matches: true,
  },
  {
    name: 'cidr v4 outside',
    pattern: { detail: { ip: [{ cidr: '10.0.0.0/24' }] } },
    event: d({ ip: '10.0.1.0' }),
    matches: false,
  },
  {
    name: 'cidr v4 /32',
    pattern: { detail: { ip: [{ cidr: '203.0.113.7/32' }] } },
    event: d({ ip: '203.0.113.7' }),
    matches: true,
  },
  {
    name: 'cidr v4 /0',
    pattern: { detail: { ip: [{ cidr: '0.0.0.0/0' }] } },
    event: d({ ip: '198.51.100.1' }),
    matches: true,
  },
  {
    name: 'cidr on a non-IP string',
    pattern: { detail: { ip: [{ cidr: '10.0.0.0/8' }] } },
    event: d({ ip: 'AWS Internal' }),
    matches: false,
  },
  {
    name: 'cidr on a hostname',
    pattern: { detail: { ip: [{ cidr: '10.0.0.0/8' }] } },
    event: d({ ip: 'ec2.amazonaws.com' }),
    matches: false,
  },
  {
    name: 'cidr v6 inside',
    pattern: { detail: { ip: [{ cidr: '2001:db8::/32' }] } },
    event: d({ ip: '2001:db8:1::5' }),
    matches: true,
  },
  {
    name: 'cidr v6 outside',
    pattern: { detail: { ip: [{ cidr: '2001:db8::/32' }] } },
    event: d({ ip: '2001:db9::5' }),
    matches: false,
  },
  {
    name: 'cidr v6 on a v4 address',
    pattern: { detail: { ip: [{ cidr: '::/0' }] } },
    event: d({ ip: '10.0.0.1' }),
    matches: false,
  },
  {
    name: 'cidr v4 on a v6 address',
    pattern: { detail: { ip: [{ cidr: '0.0.0.0/0' }] } },
    event: d({ ip: '::1' }),
    matches: false,
  },
  {
    name: 'cidr on absent',
    pattern: { detail: { ip: [{ cidr: '0.0.0.0/0' }] } },
    event: d({}),
    matches: false,
  },
  // wildcard
  {
    name: 'wildcard',
    pattern: { detail: { s: [{ wildcard: 'arn:aws:iam::*:role/cordon-*' }] } },
    event: d({ s: 'arn:aws:iam::123:role/cordon-responder' }),
    matches: true,
  },
  {
    name: 'wildcard, other',
    pattern: { detail: { s: [{ wildcard: 'arn:aws:iam::*:role/cordon-*' }] } },
    event: d({ s: 'arn:aws:iam::123:user/cordon-x' }),
    matches: false,
  },
  {
    name: 'wildcard star matches empty',
    pattern: { detail: { s: [{ wildcard: 'a*b' }] } },
    event: d({ s: 'ab' }),
    matches: true,
  },
  {
    name: 'wildcard is anchored',
    pattern: { detail: { s: [{ wildcard: 'a*b' }] } },
    event: d({ s: 'xab' }),
    matches: false,
  },
  {
    name: 'wildcard escaped star',
    pattern: { detail: { s: [{ wildcard: 'a\\*b' }] } },
    event: d({ s: 'a*b' }),
    matches: true,
  },
  {
    name: 'wildcard escaped star is literal',
    pattern: { detail: { s: [{ wildcard: 'a\\*b' }] } },
    event: d({ s: 'axb' }),
    matches: false,
  },
  {
    name: 'wildcard escaped backslash',
    pattern: { detail: { s: [{ wildcard: 'a\\\\*' }] } },
    event: d({ s: 'a\\xyz' }),
    matches: true,
  },
  {
    name: 'wildcard on a number',
    pattern: { detail: { s: [{ wildcard: '*' }] } },
    event: d({ s: 5 }),
    matches: false,
  },
  {
    name: 'wildcard on absent',
    pattern: { detail: { s: [{ wildcard: '*' }] } },
    event: d({}),
    matches: false,
  },
];

/**
 * One case per entry of MOTO_EVENTBRIDGE_DEVIATIONS that a rule can show: `matches` is EventBridge's
 * documented answer (the local matcher's), and moto gives the opposite.
 */
const DEVIATIONS: (Case & { readonly topic: (typeof MOTO_EVENTBRIDGE_DEVIATIONS)[number]['topic'] })[] = [
  {
    topic: 'arrays of objects and nested arrays',
    name: 'nested pattern over an array of objects',
    pattern: { detail: { items: { cidrIp: ['0.0.0.0/0'] } } },
    event: d({ items: [{ cidrIp: '10.0.0.0/8' }, { cidrIp: '0.0.0.0/0' }] }),
    matches: true,
  },
  {
    topic: 'arrays of objects and nested arrays',
    name: 'arrays of arrays are flattened',
    pattern: { detail: { s: ['b'] } },
    event: d({ s: [['a'], ['b']] }),
    matches: true,
  },
  {
    topic: 'empty arrays and empty objects',
    name: 'exists true on an empty array',
    pattern: { detail: { s: [{ exists: true }] } },
    event: d({ s: [] }),
    matches: false,
  },
  {
    topic: 'empty arrays and empty objects',
    name: 'exists false on an empty object',
    pattern: { detail: { s: [{ exists: false }] } },
    event: d({ s: {} }),
    matches: true,
  },
  {
    topic: 'booleans versus numbers',
    name: '[1] against true',
    pattern: { detail: { b: [1] } },
    event: d({ b: true }),
    matches: false,
  },
  {
    topic: 'booleans versus numbers',
    name: 'numeric against true',
    pattern: { detail: { b: [{ numeric: ['>', 0] }] } },
    event: d({ b: true }),
    matches: false,
  },
  {
    topic: 'booleans versus numbers',
    name: 'anything-but [1] against true',
    pattern: { detail: { b: [{ 'anything-but': [1] }] } },
    event: d({ b: true }),
    matches: true,
  },
  {
    topic: 'cidr on non-strings and host bits',
    name: 'cidr against a number',
    pattern: { detail: { ip: [{ cidr: '0.0.0.0/24' }] } },
    event: d({ ip: 123 }),
    matches: false,
  },
  {
    topic: 'cidr on non-strings and host bits',
    name: 'cidr block with host bits set',
    pattern: { detail: { ip: [{ cidr: '10.0.0.1/24' }] } },
    event: d({ ip: '10.0.0.7' }),
    matches: true,
  },
  {
    topic: 'wildcard and newlines',
    name: 'wildcard across a newline',
    pattern: { detail: { s: [{ wildcard: 'a*b' }] } },
    event: d({ s: 'a\nb' }),
    matches: true,
  },
  {
    topic: 'envelope fields',
    name: 'prefix on time',
    pattern: { time: [{ prefix: '2024-05-01' }] },
    event: d({}),
    matches: true,
  },
  {
    topic: 'envelope fields',
    name: 'exact id',
    pattern: { id: ['6a7e8feb-b491-4cf7-a9f1-bf3703467718'] },
    event: d({}),
    matches: true,
  },
  {
    topic: 'keys with dots',
    name: 'a dotted key is not a path',
    pattern: { detail: { a: { b: ['x'] } } },
    event: d({ 'a.b': 'x' }),
    matches: false,
  },
];

describe('local event-pattern matcher against moto EventBridge routing', () => {
  let agreement: boolean[];
  let deviations: boolean[];

  beforeAll(async () => {
    const routed = await motoRoutes(
      [...AGREEMENT, ...DEVIATIONS].map(({ pattern, event }) => ({ pattern, event })),
    );
    agreement = routed.slice(0, AGREEMENT.length);
    deviations = routed.slice(AGREEMENT.length);
  });

  it('covers every documented deviation with a case', () => {
    expect(new Set(DEVIATIONS.map((c) => c.topic))).toEqual(
      new Set(MOTO_EVENTBRIDGE_DEVIATIONS.map((x) => x.topic)),
    );
  });

  it('has both outcomes for every operator in the agreement table', () => {
    expect(AGREEMENT.filter((c) => c.matches).length).toBeGreaterThan(40);
    expect(AGREEMENT.filter((c) => !c.matches).length).toBeGreaterThan(40);
  });

  it.each(AGREEMENT.map((c, i) => [c.name, i] as const))(
    '%s: local matcher, moto and the docs agree',
    (_name, i) => {
      const c = AGREEMENT[i];
      expect({ local: matchesEventPattern(c.pattern, c.event), moto: agreement[i] }).toEqual({
        local: c.matches,
        moto: c.matches,
      });
    },
  );

  it.each(DEVIATIONS.map((c, i) => [c.topic, c.name, i] as const))(
    'moto deviates (%s): %s',
    (_topic, _name, i) => {
      const c = DEVIATIONS[i];
      expect({ local: matchesEventPattern(c.pattern, c.event), moto: deviations[i] }).toEqual({
        local: c.matches,
        moto: !c.matches,
      });
    },
  );
});
