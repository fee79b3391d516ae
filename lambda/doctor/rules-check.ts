/**
 * The rules check of one region: each enabled detection needs its EventBridge rule on the default
 * bus, enabled (honeytoken use with read-only management events too), or its events are never
 * delivered. Rules are found by their description (see expected-rules.ts), from one listing of the
 * region's rules.
 */
import { ListRulesCommand, type EventBridgeClient, type Rule } from '@aws-sdk/client-eventbridge';
import type { CordonConfig } from '../config/schema';
import { errorOf } from '../actions/types';
import type { DoctorClients } from './clients';
import { stackOfRegion, type ExpectedRule } from './expected-rules';
import type { CheckResult } from './types';

/** Every rule of the default bus. client-eventbridge has no paginator for ListRules, hence the loop. */
async function listRules(client: EventBridgeClient): Promise<Rule[]> {
  const rules: Rule[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListRulesCommand({ NextToken: token }));
    rules.push(...(page.Rules ?? []));
    token = page.NextToken;
  } while (token);
  return rules;
}

const isEnabled = (rule: Rule) =>
  rule.State === 'ENABLED' || rule.State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** Whether every expected rule is in this region and enabled, and the fix for each that is not. */
export async function checkRules(
  clients: DoctorClients,
  config: Pick<CordonConfig, 'homeRegion'>,
  region: string,
  expected: readonly ExpectedRule[],
): Promise<CheckResult> {
  let rules: Rule[];
  try {
    rules = await listRules(clients.eventbridge(region));
  } catch (error) {
    return {
      kind: 'rules',
      region,
      status: 'could-not-check',
      summary: `could not list the EventBridge rules in ${region}`,
      problems: [],
      fixes: [],
      errors: [errorOf(error)],
    };
  }
  const missing: string[] = [];
  const problems: string[] = [];
  const fixes: string[] = [];
  for (const want of expected) {
    const found = rules.filter((r) => r.Description?.startsWith(want.descriptionPrefix));
    if (found.length === 0) {
      missing.push(want.detectionId);
      continue;
    }
    if (found.some((r) => r.State === want.state)) continue;
    const enabled = found.find(isEnabled);
    if (enabled) {
      problems.push(
        `${enabled.Name} (${want.detectionId}) is ${enabled.State}: it does not receive read-only events`,
      );
      fixes.push(
        `npx cdk deploy ${stackOfRegion(config, region)} (puts the rule back in state ${want.state})`,
      );
      continue;
    }
    for (const rule of found) {
      problems.push(`${rule.Name} (${want.detectionId}) is ${rule.State ?? 'not enabled'}`);
      fixes.push(`aws events enable-rule --name ${rule.Name} --region ${region}`);
    }
  }
  if (missing.length > 0) {
    problems.unshift(`no rule for ${missing.join(', ')}`);
    fixes.unshift(`npx cdk deploy ${stackOfRegion(config, region)}`);
  }
  if (problems.length === 0) {
    return {
      kind: 'rules',
      region,
      status: 'passed',
      summary: `all ${expected.length} of Cordon's rules in ${region} are present and enabled`,
      problems: [],
      fixes: [],
      errors: [],
    };
  }
  return {
    kind: 'rules',
    region,
    status: 'missing',
    summary: `${missing.length} of Cordon's ${expected.length} rules missing in ${region}, ${problems.length - (missing.length ? 1 : 0)} not enabled as deployed`,
    problems,
    fixes: [...new Set(fixes)],
    errors: [],
  };
}
