import { z } from 'zod';
import { DETECTIONS } from '../detections/catalogue';
import { DEFAULT_CDK_BOOTSTRAP_QUALIFIER } from './own-principals';
import { AWS_REGIONS, partitionOfRegion } from './regions';

/** Whether the stack creates the CloudTrail trail or relies on the account's. */
export const TRAIL_MODES = ['create', 'existing'] as const;

/**
 * The kinds of revert the sweep applies, each switchable in `sweep.reverts` (all on by default):
 * every reverter (lambda/actions/reverts/) and every containment the sweep starts names one.
 */
export const SWEEP_REVERT_SWITCHES = [
  /** Instances it launched (RunInstances, fleets, spot) stopped, or terminated with `terminateInstances`. */
  'stopInstances',
  /** Spot instance requests and fleets it made cancelled. */
  'cancelSpotRequests',
  /** Ingress rules it authorized revoked. */
  'revokeIngressRules',
  /** Snapshots, images, RDS snapshots, buckets and functions it shared or opened, closed again. */
  'revertShares',
  /** Access keys it created, on any user, deactivated. */
  'deactivateAccessKeys',
  /** Login profiles (console passwords) it created or changed deleted. */
  'deleteLoginProfiles',
  /** Users it created contained; roles it created denied everything. */
  'containCreatedPrincipals',
  /** Roles it assumed: their older sessions revoked, and their own timeline swept. */
  'revokeDerivedRoleSessions',
  /** Trails it stopped logging again; event selectors it weakened restored. */
  'restoreTrails',
  /** GuardDuty detectors it disabled enabled again. */
  'enableGuardDuty',
  /** Functions it created or changed held at reserved concurrency 0. */
  'holdFunctions',
] as const;
export type SweepRevertSwitch = (typeof SWEEP_REVERT_SWITCHES)[number];

/** How Cordon answers a detection: take the principal away, undo the change, or only tell people. */
export const RESPONSES = ['contain', 'revert', 'notify'] as const;
export type Response = (typeof RESPONSES)[number];

const region = z.enum(AWS_REGIONS, {
  error: () => `must be an AWS region such as us-east-1 (one of: ${AWS_REGIONS.join(', ')})`,
});

const email = z.email({ error: () => 'must be an e-mail address such as security@example.com' });

/** An IAM ARN, where `*` matches any run of characters: arn:aws:iam::123456789012:role/BreakGlass*. */
const principalArnPattern = z
  .string()
  .regex(/^arn:(aws|aws-us-gov|aws-cn|\*):(iam|sts|\*)::(\d{12}|\*):\S+$/, {
    error: () =>
      'must be an IAM or STS ARN pattern such as arn:aws:iam::123456789012:role/BreakGlass* (* matches anything)',
  });

const accessKeyId = z.string().regex(/^(AKIA|ASIA)[A-Z0-9]{16}$/, {
  error: () => 'must be an AWS access key id: AKIA or ASIA followed by 16 upper-case letters or digits',
});

/** The ids of the detection catalogue: an override of any other id would silently do nothing. */
const KNOWN_DETECTION_IDS: readonly string[] = DETECTIONS.map((detection) => detection.id);

const detectionId = z.string().refine((id) => KNOWN_DETECTION_IDS.includes(id), {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a known detection id: known ids are ${KNOWN_DETECTION_IDS.join(', ')}`,
});

/**
 * CDK's own rule for a bootstrap qualifier: the AllowedPattern of the Qualifier parameter of the
 * bootstrap template (node_modules/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml), which keeps
 * `cdk-<qualifier>-image-publishing-role-<account>-<region>` within IAM's 64 characters.
 */
const CDK_BOOTSTRAP_QUALIFIER_PATTERN = /^[A-Za-z0-9_-]{1,10}$/;

const detectionOverride = z.strictObject({
  response: z.enum(RESPONSES, { error: () => `must be one of: ${RESPONSES.join(', ')}` }).optional(),
  enabled: z.boolean().optional(),
});

export const cordonConfigSchema = z
  .strictObject({
    /** Where the responder, topic, bucket and table live. IAM events arrive in us-east-1 whatever this is. */
    homeRegion: region.default('us-east-1'),
    /** Other regions to watch: each gets a forwarder stack that sends matching events home. */
    regions: z.array(region).default([]),
    /** Each address gets an e-mail subscription to the report topic (it must confirm it). */
    notificationEmails: z.array(email).default([]),
    /** `dry-run` plans and reports everything and changes nothing. */
    mode: z
      .enum(['enforce', 'dry-run'], { error: () => 'must be "enforce" or "dry-run"' })
      .default('enforce'),
    /** Principals Cordon never acts on (break-glass admins, pipelines), beside its own and AWS's. */
    protectedPrincipals: z.array(principalArnPattern).default([]),
    /** Decoy access keys that nobody legitimate uses: any call signed with one is an intrusion. */
    honeytokenAccessKeyIds: z.array(accessKeyId).default([]),
    /** GuardDuty findings at or above this severity (1.0 to 10.0) are delivered and contained. */
    guardDutySeverityThreshold: z
      .number({ error: () => 'must be a number from 1 to 10' })
      .min(1, { error: () => 'must be at least 1 (GuardDuty severities run from 1.0 to 10.0)' })
      .max(10, { error: () => 'must be at most 10 (GuardDuty severities run from 1.0 to 10.0)' })
      .default(5),
    /**
     * EC2 instance families whose launch is reported (GPU and accelerator families by default: what a stolen
     * key is used for). A family matches the type's family before its generation digit ("g" matches
     * g5.xlarge, not m7g.large nor gr6); an entry ending in a digit, "." or "-" is a plain prefix ("p5").
     */
    unusualInstanceTypePrefixes: z
      .array(
        z.string().regex(/^[a-z][a-z0-9-]*\.?$/, {
          error: () => 'must be an EC2 instance family such as "p" or "g5" (lower case, without the size)',
        }),
      )
      .default(['p', 'g', 'gr', 'inf', 'trn', 'dl', 'f', 'vt']),
    /**
     * CloudTrail events reach EventBridge (and LookupEvents, for the sweep) only while a trail logs.
     * `create`: the stack creates a multi-region trail of management events with log file validation,
     * logging to the evidence bucket. `existing` (default): the account's own trail is relied on;
     * `cordon doctor` checks that one logs.
     */
    trail: z.enum(TRAIL_MODES, { error: () => 'must be "create" or "existing"' }).default('existing'),
    /**
     * `createGuardDutyDetectors`: a GuardDuty detector publishing every 15 minutes in each covered
     * region (fails where one exists). (`createTrail` became `trail: "create"`.)
     */
    prerequisites: z
      .strictObject({
        createGuardDutyDetectors: z.boolean().default(false),
      })
      .default({ createGuardDutyDetectors: false }),
    /**
     * A `revert` detection undoes the change. `containActor`: also contain the principal that made
     * it (off by default: the report names it, and a person decides).
     */
    reverts: z
      .strictObject({ containActor: z.boolean({ error: () => 'must be true or false' }).default(false) })
      .default({ containActor: false }),
    /**
     * After containment, the sweeper reads the attacker's CloudTrail timeline in every region and
     * reverts what it started. `lookbackMinutes`: how far before the first malicious event it reads.
     * `derivedCredentialDepth`: how many hops of credentials the attacker made (AssumeRole,
     * GetSessionToken, GetFederationToken, CreateAccessKey) are followed. `terminateInstances`:
     * instances it launched are terminated instead of stopped. `reverts`: each kind of revert on or off.
     */
    sweep: z
      .strictObject({
        enabled: z.boolean({ error: () => 'must be true or false' }).default(true),
        lookbackMinutes: z
          .number()
          .int({ error: () => 'must be a whole number of minutes' })
          .min(1, { error: () => 'must be at least 1' })
          .max(90 * 24 * 60, { error: () => 'must be at most 129600 (90 days: what LookupEvents keeps)' })
          .default(24 * 60),
        derivedCredentialDepth: z
          .number()
          .int({ error: () => 'must be a whole number' })
          .min(0, { error: () => 'must be at least 0' })
          .max(5, { error: () => 'must be at most 5' })
          .default(2),
        terminateInstances: z.boolean({ error: () => 'must be true or false' }).default(false),
        reverts: z
          .strictObject(
            Object.fromEntries(
              SWEEP_REVERT_SWITCHES.map((name) => [
                name,
                z.boolean({ error: () => 'must be true or false' }).default(true),
              ]),
            ) as Record<SweepRevertSwitch, z.ZodDefault<z.ZodBoolean>>,
          )
          .default(
            Object.fromEntries(SWEEP_REVERT_SWITCHES.map((name) => [name, true])) as Record<
              SweepRevertSwitch,
              boolean
            >,
          ),
      })
      .default({
        enabled: true,
        lookbackMinutes: 24 * 60,
        derivedCredentialDepth: 2,
        terminateInstances: false,
        reverts: Object.fromEntries(SWEEP_REVERT_SWITCHES.map((name) => [name, true])) as Record<
          SweepRevertSwitch,
          boolean
        >,
      }),
    /** Past `maxContainments` in `windowMinutes`, further signals are reported but not enforced. */
    circuitBreaker: z
      .strictObject({
        maxContainments: z
          .number()
          .int()
          .min(1, { error: () => 'must be at least 1' })
          .default(10),
        windowMinutes: z
          .number()
          .int()
          .min(1, { error: () => 'must be at least 1' })
          .default(60),
      })
      .default({ maxContainments: 10, windowMinutes: 60 }),
    /**
     * How a role whose session is compromised is contained. Its sessions issued before containment
     * are always revoked; `denyAll` also denies everything to the role itself, so that nobody can use
     * it until `cordon restore` (every workload of the role stops).
     */
    roleContainment: z
      .strictObject({ denyAll: z.boolean({ error: () => 'must be true or false' }).default(false) })
      .default({ denyAll: false }),
    /**
     * How a compromised EC2 instance is isolated (isolation group, snapshots, termination protection,
     * tags). `stopInstance`: also stop it (off by default: its memory is evidence). `revokeRoleSessions`:
     * on an instance finding, also revoke its role's older sessions (stolen instance credentials always do).
     */
    instanceIsolation: z
      .strictObject({
        stopInstance: z.boolean({ error: () => 'must be true or false' }).default(false),
        revokeRoleSessions: z.boolean({ error: () => 'must be true or false' }).default(false),
      })
      .default({ stopInstance: false, revokeRoleSessions: false }),
    /** Per-detection overrides of the default response, or `enabled: false` to drop its rule. Keys are catalogue ids. */
    detections: z.record(detectionId, detectionOverride).default({}),
    /**
     * The qualifier of the account's CDK bootstrap (`cdk bootstrap --qualifier`, default hnb659fds).
     * The CDK bootstrap roles of this qualifier (`cdk-<qualifier>-deploy-role-...` and the others)
     * are protected: containing one would break every deploy, Cordon's own included.
     */
    cdkBootstrapQualifier: z
      .string({ error: () => 'must be a string such as "hnb659fds"' })
      .regex(CDK_BOOTSTRAP_QUALIFIER_PATTERN, {
        error: () =>
          'must be a CDK bootstrap qualifier: 1 to 10 letters, digits, "_" or "-" (the rule of cdk bootstrap --qualifier), such as "hnb659fds"',
      })
      .default(DEFAULT_CDK_BOOTSTRAP_QUALIFIER),
    /** Reserved concurrency of the responder; unset by default, since small accounts refuse large values. */
    responderReservedConcurrency: z
      .number()
      .int({ error: () => 'must be a whole number' })
      .min(1, { error: () => 'must be at least 1' })
      .optional(),
  })
  .refine((config) => !config.regions.includes(config.homeRegion), {
    path: ['regions'],
    error: 'must not include homeRegion: the home stack already covers it',
  })
  .check((context) => {
    const { homeRegion, regions } = context.value;
    const homePartition = partitionOfRegion(homeRegion);
    regions.forEach((other, index) => {
      const partition = partitionOfRegion(other);
      if (partition === homePartition) return;
      context.issues.push({
        code: 'custom',
        input: other,
        path: ['regions', index],
        message:
          `${other} is in partition ${partition}, but homeRegion ${homeRegion} is in partition ${homePartition}: ` +
          'one deployment covers one partition (aws, aws-us-gov and aws-cn are separate, with their own accounts and IAM)',
      });
    });
  });

/** The file as people write it (every field optional). */
export type CordonConfigInput = z.input<typeof cordonConfigSchema>;
/** The validated configuration with defaults applied. */
export type CordonConfig = z.output<typeof cordonConfigSchema>;
