import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { matchesEventPattern, validateEventPattern } from '../../../lambda/detections/event-pattern-matcher';
import { CLOUDTRAIL_DETAIL_TYPES, wrapCloudTrailRecord } from '../../../lambda/signal/envelope';
import { parseConfig } from '../../../lambda/config/load';
import { RESPONSES } from '../../../lambda/config/schema';
import { DETECTIONS, detectionById } from '../../../lambda/detections/catalogue';
import { isUnusualInstanceType } from '../../../lambda/detections/catalogue/compute';
import { detectionContextFromConfig } from '../../../lambda/detections/context';
import { matchDetections } from '../../../lambda/detections/match';
import { rulePattern, type RuleScope } from '../../../lib/rule-pattern';
import type { Detection, DetectionContext, EventPattern } from '../../../lambda/detections/types';
import { actingRoleNames, ownRoleNames } from '../../../lambda/config/own-principals';
import { MOTO_EVENTBRIDGE_DEVIATIONS, motoRoutes } from '../../support/eventbridge-routing';

const HONEYTOKEN = 'AKIAHONEYTOKEN000001';
/** The test context: one honeytoken, severity threshold 5, default instance families. */
const CONTEXT: DetectionContext = detectionContextFromConfig(
  parseConfig({ honeytokenAccessKeyIds: [HONEYTOKEN], guardDutySeverityThreshold: 5 }),
);
const CORDON_ROLE = actingRoleNames('us-east-1')[0];
const OWN_ACCOUNT = '111122223333';
/** As the stack deploys it, without the account filter: the fixtures come from many accounts. */
const SCOPE: RuleScope = { ownRoleArns: [`arn:aws:iam::${OWN_ACCOUNT}:role/${CORDON_ROLE}`] };
const FIXTURE_ROOT = join(__dirname, '..', '..', 'fixtures', 'detections');
/** EventBridge's default quota on the size of an event pattern, in characters. */
const EVENT_PATTERN_MAX_CHARS = 2048;

type Json = Record<string, unknown>;
type FixtureKind = 'positive' | 'negative' | 'negative-refine';

interface Fixture {
  readonly detection: Detection;
  readonly file: string;
  readonly name: string;
  readonly kind: FixtureKind;
  readonly event: Json;
}

function kindOf(file: string): FixtureKind {
  if (file.startsWith('positive-') || file === 'positive.json') return 'positive';
  if (file.startsWith('negative-refine-')) return 'negative-refine';
  if (file.startsWith('negative-') || file === 'negative.json') return 'negative';
  throw new Error(`fixture ${file}: name must start with positive- or negative-`);
}

function loadFixtures(): Fixture[] {
  return DETECTIONS.flatMap((detection) => {
    const dir = join(FIXTURE_ROOT, detection.id);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({
        detection,
        file,
        name: `${detection.id}/${file}`,
        kind: kindOf(file),
        event: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Json,
      }));
  });
}

const FIXTURES = loadFixtures();
const POSITIVES = FIXTURES.filter((f) => f.kind === 'positive');
const NEGATIVES = FIXTURES.filter((f) => f.kind !== 'positive');

function patternOf(detection: Detection, context: DetectionContext = CONTEXT): EventPattern {
  const pattern = rulePattern(detection, context, SCOPE);
  if (pattern === null) throw new Error(`${detection.id} has no pattern in the test context`);
  return pattern;
}

function ids(event: unknown, context: DetectionContext = CONTEXT): string[] {
  return matchDetections(event, context).map((detection) => detection.id);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function detailOf(event: Json): Json {
  return event.detail as Json;
}

/** The same event, made by a session of the given role (only the session issuer changes). */
function issuedBy(event: Json, roleName: string, accountId = OWN_ACCOUNT): Json {
  const copy = clone(event);
  const identity = detailOf(copy).userIdentity as Json;
  const sessionContext = (identity.sessionContext ?? {}) as Json;
  sessionContext.sessionIssuer = {
    type: 'Role',
    principalId: 'AROA5Q3KVBFTCORDON01',
    arn: `arn:aws:iam::${accountId}:role/${roleName}`,
    accountId,
    userName: roleName,
  };
  identity.sessionContext = sessionContext;
  return copy;
}

function walkPattern(value: unknown, visit: (key: string, leaf: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item) => walkPattern(item, visit));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      visit(key, inner);
      walkPattern(inner, visit);
    }
  }
}

describe('detection catalogue', () => {
  it('has unique, stable kebab-case ids', () => {
    const list = DETECTIONS.map((d) => d.id);
    expect(new Set(list).size).toBe(list.length);
    for (const id of list) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(DETECTIONS.map((d) => [d.id, d] as const))('%s is fully described', (_id, detection) => {
    expect(detection.title.length).toBeGreaterThan(10);
    expect(detection.title.length).toBeLessThan(70);
    expect(detection.rationale.length).toBeGreaterThan(120);
    expect(detection.mitre).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(['low', 'medium', 'high', 'critical']).toContain(detection.severity);
    expect(RESPONSES).toContain(detection.defaultResponse);
    expect(detection.refine === undefined).toBe(detection.refinement === undefined);
    expect(detection.includesReadOnlyEvents === true).toBe(detection.id === 'honeytoken-used');
  });

  it('defaults to contain for credentials, tampering and taken-over instances, revert for exposure, notify for the rest', () => {
    const byResponse = (response: string): string[] =>
      DETECTIONS.filter((d) => d.defaultResponse === response)
        .map((d) => d.id)
        .sort();
    expect(byResponse('contain')).toEqual(
      [
        'cloudtrail-logging-tampered',
        'config-recording-stopped',
        'dns-query-logging-removed',
        'guardduty-detector-tampered',
        'guardduty-ec2-cryptomining-or-backdoor',
        'guardduty-iam-credential-finding',
        'guardduty-instance-credential-exfiltration',
        'honeytoken-used',
        'vpc-flow-logs-deleted',
      ].sort(),
    );
    expect(byResponse('revert')).toEqual(
      [
        'ami-shared',
        'ebs-snapshot-shared',
        'lambda-function-made-public',
        'rds-snapshot-shared',
        's3-bucket-acl-made-public',
        's3-bucket-policy-made-public',
        's3-public-access-block-disabled',
        'security-group-opened-to-world',
      ].sort(),
    );
    expect(byResponse('notify')).toEqual(
      expect.arrayContaining([
        'guardduty-root-credential-usage',
        'guardduty-ec2-instance-compromise',
        'root-console-login',
        'root-api-activity',
        'organization-leave-attempt',
        'iam-admin-policy-granted',
        'kms-key-deletion-scheduled',
        'ec2-unusual-instance-type-launched',
      ]),
    );
    for (const id of ['guardduty-root-credential-usage', 'root-console-login', 'root-api-activity']) {
      expect(detectionById(id)?.severity).toBe('critical');
    }
  });

  it.each(DETECTIONS.map((d) => [d.id, d] as const))(
    '%s: its pattern and its rule pattern are valid EventBridge patterns within the size quota',
    (_id, detection) => {
      const own = detection.pattern(CONTEXT);
      expect(own).not.toBeNull();
      expect(validateEventPattern(own)).toEqual([]);
      const rule = patternOf(detection);
      expect(validateEventPattern(rule)).toEqual([]);
      expect(JSON.stringify(rule).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARS);
      const busy = {
        ...CONTEXT,
        honeytokenAccessKeyIds: Array.from(
          { length: 20 },
          (_, i) => `AKIAHONEYTOKEN${String(i).padStart(6, '0')}`,
        ),
      };
      const busyRule = rulePattern(detection, busy, {
        accountId: OWN_ACCOUNT,
        ownRoleArns: [
          ...ownRoleNames('ap-southeast-4', ['eu-central-2']),
          'cordon-sweeper-ap-southeast-4',
        ].map((name) => `arn:aws-us-gov:iam::${OWN_ACCOUNT}:role/${name}`),
      });
      expect(JSON.stringify(busyRule).length).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARS);
    },
  );

  it.each(DETECTIONS.map((d) => [d.id, d] as const))(
    '%s: matches its own kind of event (CloudTrail detail-types or GuardDuty findings)',
    (_id, detection) => {
      const pattern = detection.pattern(CONTEXT) as Json;
      if (detection.source === 'guardduty') {
        expect(pattern.source).toEqual(['aws.guardduty']);
        expect(pattern['detail-type']).toEqual(['GuardDuty Finding']);
      } else {
        const detailTypes = pattern['detail-type'] as string[];
        expect(detailTypes.length).toBeGreaterThan(0);
        for (const detailType of detailTypes)
          expect(Object.values(CLOUDTRAIL_DETAIL_TYPES)).toContain(detailType);
      }
    },
  );

  it('uses no wildcard (an event bus allows only 30 rules with wildcards, and they cost complexity)', () => {
    const withWildcards = DETECTIONS.filter((detection) => {
      let found = false;
      walkPattern(detection.pattern(CONTEXT), (key) => {
        if (key === 'wildcard') found = true;
      });
      return found;
    }).map((d) => d.id);
    expect(withWildcards).toEqual([]);
  });

  it('has no honeytoken rule without honeytokens, and no instance-type rule without families', () => {
    const empty = { ...CONTEXT, honeytokenAccessKeyIds: [], unusualInstanceTypePrefixes: [] };
    const nulls = DETECTIONS.filter((d) => d.pattern(empty) === null).map((d) => d.id);
    expect(nulls.sort()).toEqual(['ec2-unusual-instance-type-launched', 'honeytoken-used']);
    expect(rulePattern(detectionById('honeytoken-used')!, empty, SCOPE)).toBeNull();
  });

  it('gates GuardDuty findings on the configured severity, not on a fixed one', () => {
    const finding = clone(
      POSITIVES.find((f) => f.name.endsWith('positive-unauthorized-access-tor.json'))!.event,
    );
    detailOf(finding).severity = 4.9;
    expect(ids(finding)).not.toContain('guardduty-iam-credential-finding');
    expect(ids(finding, { ...CONTEXT, guardDutySeverityThreshold: 4 })).toContain(
      'guardduty-iam-credential-finding',
    );
    detailOf(finding).severity = 5;
    expect(ids(finding)).toContain('guardduty-iam-credential-finding');
    detailOf(finding).severity = '8';
    expect(ids(finding)).not.toContain('guardduty-iam-credential-finding');
  });
});

describe('detection fixtures', () => {
  it('every detection has a positive and a near-miss negative, and every fixture folder is a detection', () => {
    for (const detection of DETECTIONS) {
      const own = FIXTURES.filter((f) => f.detection === detection);
      expect({ id: detection.id, positives: own.some((f) => f.kind === 'positive') }).toEqual({
        id: detection.id,
        positives: true,
      });
      expect({ id: detection.id, negatives: own.some((f) => f.kind !== 'positive') }).toEqual({
        id: detection.id,
        negatives: true,
      });
    }
    const folders = readdirSync(FIXTURE_ROOT).sort();
    expect(folders).toEqual(DETECTIONS.map((d) => d.id).sort());
  });

  it('uses negative-refine- only for detections that refine their pattern', () => {
    const misplaced = FIXTURES.filter((f) => f.kind === 'negative-refine' && !f.detection.refine).map(
      (f) => f.name,
    );
    expect(misplaced).toEqual([]);
  });

  it.each(FIXTURES.map((f) => [f.name, f] as const))('%s is a full EventBridge event', (_name, fixture) => {
    const { event } = fixture;
    expect(event.version).toBe('0');
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.account).toMatch(/^\d{12}$/);
    expect(event.region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d+$/);
    expect(Number.isNaN(Date.parse(String(event.time)))).toBe(false);
    expect(event.resources).toEqual([]);
    const detail = detailOf(event);
    if (fixture.detection.source === 'guardduty') {
      expect(event.source).toBe('aws.guardduty');
      expect(event['detail-type']).toBe('GuardDuty Finding');
      expect(detail).toMatchObject({ schemaVersion: '2.0', accountId: event.account, region: event.region });
      expect(typeof detail.type).toBe('string');
      expect(typeof detail.severity).toBe('number');
    } else {
      // The envelope is what EventBridge (and lambda/signal/envelope.ts) makes of the record.
      const wrapped = wrapCloudTrailRecord(detail);
      expect({ ...event, id: wrapped.id }).toEqual(wrapped);
      expect(detail).toMatchObject({ eventVersion: expect.any(String), eventID: expect.any(String) });
      expect(typeof (detail.userIdentity as Json).type).toBe('string');
    }
  });

  it.each(POSITIVES.map((f) => [f.name, f] as const))('%s matches its detection', (_name, fixture) => {
    expect(ids(fixture.event)).toContain(fixture.detection.id);
    expect(matchesEventPattern(patternOf(fixture.detection), fixture.event)).toBe(true);
  });

  it.each(NEGATIVES.map((f) => [f.name, f] as const))('%s does not match its detection', (_name, fixture) => {
    expect(ids(fixture.event)).not.toContain(fixture.detection.id);
    // A negative-refine fixture is in the rule's superset and rejected by refine; the others by the rule.
    expect(matchesEventPattern(patternOf(fixture.detection), fixture.event)).toBe(
      fixture.kind === 'negative-refine',
    );
  });
});

describe('refinements', () => {
  it.each([
    ['g5.xlarge', ['g'], true],
    ['g4dn.12xlarge', ['g'], true],
    ['m7g.large', ['g'], false],
    ['gr6.4xlarge', ['g'], false],
    ['gr6.4xlarge', ['gr'], true],
    ['p5e.48xlarge', ['p5'], true],
    ['p4d.24xlarge', ['p5'], false],
    ['trn1n.32xlarge', ['trn'], true],
    ['dl2q.24xlarge', ['dl'], true],
    ['d3en.xlarge', ['dl'], false],
    ['inf2.xlarge', ['inf'], true],
    ['i4i.large', ['inf'], false],
    ['u-6tb1.metal', ['u-'], true],
    ['c7i.large', [], false],
  ] as const)('instance type %s with families %j: %s', (type, families, expected) => {
    expect(isUnusualInstanceType(type, families)).toBe(expected);
  });

  it('delivers gr6 to the "g" rule (a prefix) but the refinement rejects it unless "gr" is configured', () => {
    const launch = clone(POSITIVES.find((f) => f.name.endsWith('positive-p3.json'))!.event);
    const detail = detailOf(launch);
    (detail.requestParameters as Json).instanceType = 'gr6.4xlarge';
    detail.responseElements = null;
    const onlyG = { ...CONTEXT, unusualInstanceTypePrefixes: ['g'] };
    const detection = detectionById('ec2-unusual-instance-type-launched')!;
    expect(matchesEventPattern(patternOf(detection, onlyG), launch)).toBe(true);
    expect(ids(launch, onlyG)).not.toContain(detection.id);
    expect(ids(launch, { ...CONTEXT, unusualInstanceTypePrefixes: ['gr'] })).toContain(detection.id);
  });

  it('reads inline policies given as JSON, URL-encoded JSON or nonsense without throwing', () => {
    const put = clone(POSITIVES.find((f) => f.name.endsWith('positive-inline-allow-all-user.json'))!.event);
    const parameters = detailOf(put).requestParameters as Json;
    const everything = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } };
    for (const document of [
      JSON.stringify(everything),
      encodeURIComponent(JSON.stringify(everything, null, 1)).replace(/%20/g, '+'),
      everything,
    ]) {
      parameters.policyDocument = document;
      expect(ids(put)).toContain('iam-admin-policy-granted');
    }
    for (const document of ['{not json', '%7B%22broken', 42, null, ['*'], { Statement: 'x' }]) {
      parameters.policyDocument = document;
      expect(ids(put)).not.toContain('iam-admin-policy-granted');
    }
  });

  it('treats a federated user as the IAM user that issued it', () => {
    const fixture = NEGATIVES.find((f) =>
      f.name.endsWith('negative-refine-federated-session-of-same-user.json'),
    )!;
    const otherUser = clone(fixture.event);
    ((detailOf(otherUser).requestParameters as Json) ?? {}).userName = 'bob';
    expect(ids(otherUser)).toContain('iam-login-profile-changed-for-another-user');
  });

  it('never throws, whatever JSON an event holds', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        matchDetections(value, CONTEXT);
      }),
      { numRuns: 300 },
    );
    const targets = FIXTURES.map((f) => f.event);
    fc.assert(
      fc.property(
        fc.constantFrom(...targets),
        fc.constantFrom(
          'requestParameters',
          'responseElements',
          'userIdentity',
          'resource',
          'type',
          'severity',
        ),
        fc.jsonValue(),
        (event, field, value) => {
          const copy = clone(event);
          detailOf(copy)[field] = value;
          matchDetections(copy, CONTEXT);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('rule patterns exclude Cordon', () => {
  const cloudTrailPositives = POSITIVES.filter((f) => f.detection.source === 'cloudtrail');

  it('returns GuardDuty patterns unchanged, and any pattern unchanged when there is no role to exclude', () => {
    for (const detection of DETECTIONS) {
      if (detection.source === 'guardduty') {
        expect(rulePattern(detection, CONTEXT, SCOPE)).toEqual(detection.pattern(CONTEXT));
      }
      expect(rulePattern(detection, CONTEXT, { ownRoleArns: [] })).toEqual(detection.pattern(CONTEXT));
    }
  });

  it.each(cloudTrailPositives.map((f) => [f.name, f] as const))(
    '%s: not matched when a Cordon role made it, matched when another role did',
    (_name, fixture) => {
      const pattern = patternOf(fixture.detection);
      expect(matchesEventPattern(pattern, issuedBy(fixture.event, CORDON_ROLE))).toBe(false);
      expect(matchesEventPattern(pattern, issuedBy(fixture.event, 'ci-deployer'))).toBe(true);
      // A role of the same name in another account is not Cordon: its events still match.
      expect(matchesEventPattern(pattern, issuedBy(fixture.event, CORDON_ROLE, '999999999999'))).toBe(true);
    },
  );

  it.each(POSITIVES.map((f) => [f.name, f] as const))(
    '%s: deployed for one account, not matched for another',
    (_name, fixture) => {
      const pattern = rulePattern(fixture.detection, CONTEXT, { ...SCOPE, accountId: OWN_ACCOUNT })!;
      const inAccount = (account: string) => ({ ...clone(fixture.event), account });
      expect(matchesEventPattern(pattern, inAccount(OWN_ACCOUNT))).toBe(true);
      expect(matchesEventPattern(pattern, inAccount('999999999999'))).toBe(false);
    },
  );

  it('still matches events with no session issuer, or an empty one (IAM users, root, console sign-ins)', () => {
    const user = POSITIVES.find((f) => f.name === 'iam-user-created/positive.json')!;
    const pattern = patternOf(user.detection);
    expect((detailOf(user.event).userIdentity as Json).sessionContext).toBeUndefined();
    expect(matchesEventPattern(pattern, user.event)).toBe(true);
    const emptyIssuer = clone(user.event);
    (detailOf(emptyIssuer).userIdentity as Json).sessionContext = {
      sessionIssuer: {},
      webIdFederationData: {},
    };
    expect(matchesEventPattern(pattern, emptyIssuer)).toBe(true);
  });

  it('refuses to combine the exclusion with a pattern that already constrains the session issuer', () => {
    const conflicting: Detection = {
      ...detectionById('iam-user-created')!,
      pattern: () => ({
        detail: {
          userIdentity: {
            sessionContext: { sessionIssuer: { $or: [{ type: ['Role'] }, { type: ['IAMUser'] }] } },
          },
        },
      }),
    };
    expect(() => rulePattern(conflicting, CONTEXT, SCOPE)).toThrow(/sessionIssuer\.\$or/);
  });
});

/**
 * The event as moto 5's EventBridge sees it: it flattens nested objects but keeps an array of objects (or of
 * arrays) as one opaque value (MOTO_EVENTBRIDGE_DEVIATIONS, "arrays of objects"), so no nested pattern
 * reaches inside one.
 */
function asMotoSeesIt(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.some((item) => typeof item === 'object' && item !== null) ? '[array of objects]' : value;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, asMotoSeesIt(inner)]));
  }
  return value;
}

/**
 * moto's EventBridge gives an independent answer for every fixture: a real rule with the rule pattern, a
 * real PutEvents, an SQS target. Each positive must be delivered and each negative not; for detections with
 * `refine`, moto sees only the rule's superset pattern, so negative-refine fixtures are expected to be
 * delivered (refine rejects them afterwards, in matchDetections). Where the match needs to look inside an
 * array of objects (ipPermissions.items, createVolumePermission.add.items, bucketPolicy.Statement, ...),
 * moto cannot deliver (a documented moto deviation): those cases are named so, and the test pins moto's
 * "not delivered" so that a moto fix shows up here.
 */
describe('through moto EventBridge rule routing', () => {
  const ARRAYS_OF_OBJECTS = 'arrays of objects';
  const deviation = MOTO_EVENTBRIDGE_DEVIATIONS.find((d) => d.topic.startsWith(ARRAYS_OF_OBJECTS));
  interface RouteCase {
    readonly name: string;
    readonly pattern: EventPattern;
    readonly event: Json;
    readonly delivered: boolean;
    readonly motoGap: boolean;
  }
  const withGap = (c: Omit<RouteCase, 'motoGap'>): RouteCase => {
    const motoGap = c.delivered && !matchesEventPattern(c.pattern, asMotoSeesIt(c.event));
    return { ...c, motoGap, name: motoGap ? `${c.name} [moto: ${ARRAYS_OF_OBJECTS}]` : c.name };
  };
  const cases: RouteCase[] = [
    ...FIXTURES.map((f) =>
      withGap({
        name: f.name,
        pattern: patternOf(f.detection),
        event: f.event,
        delivered: f.kind !== 'negative',
      }),
    ),
    ...POSITIVES.filter((f) => f.detection.source === 'cloudtrail').flatMap((f) => [
      withGap({
        name: `${f.name} by Cordon's role`,
        pattern: patternOf(f.detection),
        event: issuedBy(f.event, CORDON_ROLE),
        delivered: false,
      }),
      withGap({
        name: `${f.name} by another role`,
        pattern: patternOf(f.detection),
        event: issuedBy(f.event, 'ci-deployer'),
        delivered: true,
      }),
    ]),
  ];
  let routed: boolean[] = [];

  beforeAll(async () => {
    routed = await motoRoutes(cases.map(({ pattern, event }) => ({ pattern, event })));
  }, 180_000);

  it('relies on a deviation moto is known for, and checks most cases fully', () => {
    expect(deviation?.reason).toMatch(/array of objects/);
    const gaps = cases.filter((c) => c.motoGap).length;
    expect(gaps).toBeLessThan(cases.length / 5);
    // Every detection but the bucket-policy one (whose statements are always a list) has a positive moto delivers.
    const checked = new Set(
      cases.filter((c) => c.delivered && !c.motoGap).map((c) => c.name.slice(0, c.name.indexOf('/'))),
    );
    const unchecked = DETECTIONS.map((d) => d.id).filter((id) => !checked.has(id));
    expect(unchecked).toEqual(['s3-bucket-policy-made-public']);
  });

  it.each(cases.map((c, index) => [c.name, index] as const))('%s', (name, index) => {
    const routeCase = cases[index];
    expect({ name, delivered: routed[index] }).toEqual({
      name,
      delivered: routeCase.motoGap ? false : routeCase.delivered,
    });
  });
});
