/**
 * Revokes the ingress rules an event added to a security group, and nothing else of the group.
 *
 * - `AuthorizeSecurityGroupIngress`: by the `securityGroupRuleId`s of the response's ingress rules
 *   where it has them; else by the request's exact permissions (its `ipPermissions`, or the legacy
 *   top-level `cidrIp`, for a group named by id or, in the default VPC, by name).
 * - `ModifySecurityGroupRules`: its request does not say whether a rule is ingress or egress, so the
 *   rule is read first; an egress rule is left alone. The rule's earlier definition is not in the
 *   event, so the modified rule is revoked (not changed back) and its definition recorded.
 *
 * The `before` of each rule is its exact definition, which `undo` authorizes back.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { attempt } from '../../types';
import { at, changeOf, isEventOf, itemsOf, stringAt, type RecordBasics } from '../record-fields';
import type { ChangeReverter, CloudTrailRecord, RevertibleChange, RevertOutcome } from '../types';
import { groupIdByName, rulesOfGroup } from './group-reads';
import {
  describeRule,
  ingressRulesOfResponse,
  permissionOf,
  rulesOfModifyRequest,
  rulesOfRequest,
  sameRule,
  type ExistingRule,
  type IngressRule,
} from './ingress-rules';
import {
  describeError,
  eventOf,
  otherAccountRefusal,
  outcome,
  undoAction,
  type AccountOfChange,
} from './outcomes';

const ACTION = 'revoke-ingress-rules';
const EVENTS = {
  eventSource: 'ec2.amazonaws.com',
  eventNames: ['AuthorizeSecurityGroupIngress', 'ModifySecurityGroupRules'],
} as const;

/** One rule the event added or modified: its id when the event names it, and its definition per the event. */
export type AddedRule = { readonly ruleId: string | null; readonly rule: IngressRule };

export type IngressChangeDetails = AccountOfChange & {
  /** The group's id; null when the request named it only by name. */
  readonly groupId: string | null;
  readonly groupName: string | null;
  /** `authorized` (rules added) or `modified` (ModifySecurityGroupRules: possibly egress rules). */
  readonly how: 'authorized' | 'modified';
  readonly rules: readonly AddedRule[];
};

/** A revoked rule's before-state: the group it was in and its exact definition. */
export type RevokedRuleBefore = {
  readonly groupId: string;
  readonly ruleId: string;
  readonly rule: IngressRule;
};

function authorizedChanges(record: CloudTrailRecord, basics: RecordBasics) {
  const request = record.requestParameters;
  const identified = ingressRulesOfResponse(record.responseElements);
  const rules: readonly AddedRule[] = identified.length
    ? identified
    : rulesOfRequest(request).map((rule) => ({ ruleId: null, rule }));
  const groupId = stringAt(request, 'groupId') ?? groupOfResponse(record.responseElements) ?? null;
  const groupName = stringAt(request, 'groupName') ?? null;
  if (!rules.length || (!groupId && !groupName)) return [];
  const details: IngressChangeDetails = {
    accountId: basics.accountId ?? null,
    groupId,
    groupName,
    how: 'authorized',
    rules,
  };
  return [changeOf(ACTION, basics, `security-group/${groupId ?? groupName}`, details)];
}

/** The group id the response's rules name (a request by group name has it only there). */
function groupOfResponse(responseElements: unknown): string | undefined {
  return itemsOf(at(responseElements, 'securityGroupRuleSet'))
    .map((item) => stringAt(item, 'groupId'))
    .find((id) => id !== undefined);
}

function modifiedChanges(record: CloudTrailRecord, basics: RecordBasics) {
  const { groupId, rules } = rulesOfModifyRequest(record.requestParameters);
  if (!groupId || !rules.length) return [];
  const details: IngressChangeDetails = {
    accountId: basics.accountId ?? null,
    groupId,
    groupName: null,
    how: 'modified',
    rules,
  };
  return [changeOf(ACTION, basics, `security-group/${groupId}`, details)];
}

const ruleTarget = (ruleId: string) => `security-group-rule/${ruleId}`;

/** What to do about one of the event's rules, from the group's rules now. */
type RuleFinding =
  | { readonly kind: 'present'; readonly existing: ExistingRule; readonly added: AddedRule }
  | { readonly kind: 'left'; readonly outcome: RevertOutcome };

function findRule(
  change: RevertibleChange<IngressChangeDetails>,
  groupId: string,
  current: readonly ExistingRule[],
  added: AddedRule,
): RuleFinding {
  const { how } = change.details;
  const existing = added.ruleId
    ? current.find((rule) => rule.ruleId === added.ruleId)
    : current.find((rule) => !rule.egress && sameRule(rule.rule, added.rule));
  const target = ruleTarget(existing?.ruleId ?? added.ruleId ?? groupId);
  const what = `${describeRule(added.rule)} in ${groupId}`;
  if (!existing)
    return {
      kind: 'left',
      outcome: outcome(ACTION, target, 'already-done', `${what} (${eventOf(change)}) is already gone`, null),
    };
  if (existing.egress)
    return {
      kind: 'left',
      outcome: outcome(
        ACTION,
        target,
        'already-done',
        `${existing.ruleId} in ${groupId} is an egress rule (${eventOf(change)} changed it to ${describeRule(added.rule)}): only ingress rules are revoked, so it was not touched; review it`,
        null,
      ),
    };
  if (how === 'modified' && !sameRule(existing.rule, added.rule))
    return {
      kind: 'left',
      outcome: outcome(
        ACTION,
        target,
        'already-done',
        `${existing.ruleId} in ${groupId} was changed since ${eventOf(change)} set it to ${describeRule(added.rule)}: it is now ${describeRule(existing.rule)}, left as it is`,
        null,
      ),
    };
  return { kind: 'present', existing, added };
}

async function revokeRules(
  ec2: EC2Client,
  groupId: string,
  present: readonly Extract<RuleFinding, { kind: 'present' }>[],
) {
  const byIds = present.every(({ added }) => added.ruleId !== null);
  return attempt(() =>
    ec2.send(
      new RevokeSecurityGroupIngressCommand(
        byIds
          ? { GroupId: groupId, SecurityGroupRuleIds: present.map(({ existing }) => existing.ruleId) }
          : { GroupId: groupId, IpPermissions: present.map(({ added }) => permissionOf(added.rule, false)) },
      ),
    ),
  );
}

async function revert(
  change: RevertibleChange<IngressChangeDetails>,
  context: Parameters<ChangeReverter['revert']>[1],
): Promise<readonly RevertOutcome[]> {
  const refusal = otherAccountRefusal(ACTION, change, context.accountId);
  if (refusal) return [refusal];
  const ec2 = context.clients.ec2(change.region);
  const { details } = change;
  let groupId = details.groupId;
  if (!groupId) {
    const named = await groupIdByName(ec2, details.groupName ?? '');
    if (!named.ok)
      return [
        outcome(
          ACTION,
          change.target,
          'failed',
          `group ${details.groupName} of ${eventOf(change)} NOT found, nothing revoked: ${describeError(named.error)}`,
          null,
          named.error,
        ),
      ];
    groupId = named.value;
  }
  const current = await rulesOfGroup(ec2, groupId);
  if (!current.ok)
    return [
      outcome(
        ACTION,
        change.target,
        'failed',
        `the rules of ${groupId} could not be read, nothing revoked (${eventOf(change)}): ${describeError(current.error)}`,
        null,
        current.error,
      ),
    ];
  const findings = details.rules.map((added) => findRule(change, groupId, current.value, added));
  const left = findings.flatMap((finding) => (finding.kind === 'left' ? [finding.outcome] : []));
  const present = findings.flatMap((finding) => (finding.kind === 'present' ? [finding] : []));
  if (!present.length) return left;
  const modifiedNote =
    details.how === 'modified'
      ? '; its definition before that change is not in the event, so it is revoked, not changed back'
      : '';
  const beforeOf = ({ existing }: (typeof present)[number]): RevokedRuleBefore => ({
    groupId,
    ruleId: existing.ruleId,
    rule: existing.rule,
  });
  const sentence = ({ existing }: (typeof present)[number]) =>
    `ingress rule ${existing.ruleId} (${describeRule(existing.rule)}) of ${groupId}, from ${eventOf(change)}`;
  if (context.dryRun)
    return [
      ...left,
      ...present.map((finding) =>
        outcome(
          ACTION,
          ruleTarget(finding.existing.ruleId),
          'planned',
          `would revoke ${sentence(finding)}${modifiedNote}`,
          beforeOf(finding),
        ),
      ),
    ];
  const error = await revokeRules(ec2, groupId, present);
  return [
    ...left,
    ...present.map((finding) =>
      error
        ? outcome(
            ACTION,
            ruleTarget(finding.existing.ruleId),
            'failed',
            `${sentence(finding)} NOT revoked: ${describeError(error)}`,
            beforeOf(finding),
            error,
          )
        : outcome(
            ACTION,
            ruleTarget(finding.existing.ruleId),
            'done',
            `revoked ${sentence(finding)}${modifiedNote}`,
            beforeOf(finding),
          ),
    ),
  ];
}

function revokedBefore(outcome: RevertOutcome): RevokedRuleBefore | undefined {
  if (outcome.status !== 'done' || typeof outcome.before !== 'object' || outcome.before === null)
    return undefined;
  const before = outcome.before as Partial<RevokedRuleBefore>;
  return typeof before.groupId === 'string' && typeof before.ruleId === 'string' && before.rule
    ? (before as RevokedRuleBefore)
    : undefined;
}

async function undo(
  change: RevertibleChange<IngressChangeDetails>,
  outcomes: readonly RevertOutcome[],
  context: Parameters<ChangeReverter['undo']>[2],
): Promise<readonly RevertOutcome[]> {
  const action = undoAction(ACTION);
  const revoked = outcomes.flatMap((done) => {
    const before = revokedBefore(done);
    return before ? [{ target: done.target, before }] : [];
  });
  if (!revoked.length)
    return [
      outcome(
        action,
        change.target,
        'already-done',
        `the revert of ${eventOf(change)} revoked nothing: nothing to put back`,
        null,
      ),
    ];
  const ec2 = context.clients.ec2(change.region);
  const results: RevertOutcome[] = [];
  for (const { target, before } of revoked) {
    const what = `ingress rule ${describeRule(before.rule)} of ${before.groupId} (was ${before.ruleId}, from ${eventOf(change)})`;
    const current = await rulesOfGroup(ec2, before.groupId);
    if (!current.ok) {
      results.push(
        outcome(
          action,
          target,
          'failed',
          `${what} NOT put back: ${describeError(current.error)}`,
          before,
          current.error,
        ),
      );
      continue;
    }
    const back = current.value.find((rule) => !rule.egress && sameRule(rule.rule, before.rule));
    if (back) {
      results.push(
        outcome(action, target, 'already-done', `${what} is already there (${back.ruleId})`, before),
      );
      continue;
    }
    if (context.dryRun) {
      results.push(outcome(action, target, 'planned', `would authorize ${what} again`, before));
      continue;
    }
    const error = await attempt(() =>
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: before.groupId,
          IpPermissions: [permissionOf(before.rule, true)],
        }),
      ),
    );
    results.push(
      error
        ? outcome(action, target, 'failed', `${what} NOT put back: ${describeError(error)}`, before, error)
        : outcome(action, target, 'done', `authorized ${what} again (it gets a new rule id)`, before),
    );
  }
  return results;
}

export const revokeIngressRules: ChangeReverter<IngressChangeDetails> = {
  action: ACTION,
  permissions: [
    'ec2:DescribeSecurityGroupRules',
    'ec2:DescribeSecurityGroups',
    'ec2:DescribeVpcs',
    'ec2:RevokeSecurityGroupIngress',
  ],
  restorePermissions: ['ec2:DescribeSecurityGroupRules', 'ec2:AuthorizeSecurityGroupIngress'],
  resources: ['ec2:security-group', 'ec2:security-group-rule', '*'],
  events: EVENTS,
  sweepSwitch: 'revokeIngressRules',
  summary: 'revokes exactly the ingress rules the event added or modified, nothing else of the group',
  changesOf(record) {
    const basics = isEventOf({ events: EVENTS }, record);
    if (!basics) return [];
    return basics.eventName === 'ModifySecurityGroupRules'
      ? modifiedChanges(record, basics)
      : authorizedChanges(record, basics);
  },
  revert,
  undo,
};
