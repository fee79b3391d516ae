/**
 * The trail check: CloudTrail events reach Cordon's rules (and LookupEvents, for the sweep) only
 * while a trail logs them, so the account needs one multi-region trail that is logging and records
 * read and write management events. Every trail the home region sees counts (DescribeTrails with
 * shadow trails: a trail of another region or of the organization); each is read in its own home
 * region. A trail whose status or selectors cannot be read is never taken as good.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { errorOf, settle, type ActionError } from '../actions/types';
import type { DoctorClients } from './clients';
import { managementEventCoverage } from './management-events';
import type { CheckResult } from './types';

/** What one trail lacks, and how to fix each lack. */
interface TrailFindings {
  readonly name: string;
  readonly problems: readonly string[];
  readonly fixes: readonly string[];
  readonly errors: readonly ActionError[];
}

const BASIC_SELECTORS = `'[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`;
const ADVANCED_SELECTORS = `'[{"Name":"Management events","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]'`;

/** The fixes when the account has no usable trail at all. */
export function createTrailFixes(homeRegion: string): string[] {
  return [
    'set "trail": "create" in the Cordon config and run `npx cdk deploy --all` (a multi-region trail of management events), or:',
    `aws cloudtrail create-trail --name cordon-trail --s3-bucket-name BUCKET --is-multi-region-trail --region ${homeRegion} && aws cloudtrail start-logging --name cordon-trail --region ${homeRegion}`,
  ];
}

async function examineTrail(
  clients: DoctorClients,
  trail: Trail,
  homeRegion: string,
): Promise<TrailFindings> {
  const region = trail.HomeRegion ?? homeRegion;
  const arn = trail.TrailARN ?? trail.Name ?? '(unnamed trail)';
  const client = clients.cloudtrail(region);
  const [status, selectors] = await Promise.all([
    settle(() => client.send(new GetTrailStatusCommand({ Name: arn }))),
    settle(() => client.send(new GetEventSelectorsCommand({ TrailName: arn }))),
  ]);
  const problems: string[] = [];
  const fixes: string[] = [];
  const errors: ActionError[] = [];
  const where = trail.IsOrganizationTrail ? ' (an organization trail: run it in the management account)' : '';
  if (!trail.IsMultiRegionTrail) {
    problems.push(`${arn} is a single-region trail (${region} only)`);
    fixes.push(
      `aws cloudtrail update-trail --name ${arn} --is-multi-region-trail --region ${region}${where}`,
    );
  }
  if (!status.ok) errors.push(status.error);
  else if (!status.value.IsLogging) {
    problems.push(`${arn} is not logging (stopped)`);
    fixes.push(`aws cloudtrail start-logging --name ${arn} --region ${region}${where}`);
  }
  if (!selectors.ok) errors.push(selectors.error);
  else {
    const coverage = managementEventCoverage(selectors.value, trail.HasCustomEventSelectors === true);
    if (!coverage.read || !coverage.write) {
      const recorded = coverage.write ? 'write-only' : coverage.read ? 'read-only' : 'no';
      problems.push(`${arn} records ${recorded} management events (Cordon needs read and write)`);
      const advanced = (selectors.value.AdvancedEventSelectors ?? []).length > 0;
      fixes.push(
        `aws cloudtrail put-event-selectors --trail-name ${arn} --region ${region} ` +
          `${advanced ? `--advanced-event-selectors ${ADVANCED_SELECTORS}` : `--event-selectors ${BASIC_SELECTORS}`}` +
          ` (this replaces the trail's selectors: add its data-event selectors to the list)${where}`,
      );
    }
  }
  return { name: arn, problems, fixes, errors };
}

/** Whether some multi-region trail logs read and write management events, and what to fix if not. */
export async function checkTrail(clients: DoctorClients, homeRegion: string): Promise<CheckResult> {
  let trails: readonly Trail[];
  try {
    const described = await clients
      .cloudtrail(homeRegion)
      .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    trails = described.trailList ?? [];
  } catch (error) {
    return {
      kind: 'trail',
      status: 'could-not-check',
      summary: 'could not list the trails (DescribeTrails)',
      problems: [],
      fixes: [],
      errors: [errorOf(error)],
    };
  }
  if (trails.length === 0) {
    return {
      kind: 'trail',
      status: 'missing',
      summary: 'no CloudTrail trail: Cordon receives no CloudTrail events',
      problems: ['the account has no trail'],
      fixes: createTrailFixes(homeRegion),
      errors: [],
    };
  }
  const findings = await Promise.all(trails.map((trail) => examineTrail(clients, trail, homeRegion)));
  const good = findings.find((f) => f.problems.length === 0 && f.errors.length === 0);
  if (good) {
    return {
      kind: 'trail',
      status: 'passed',
      summary: `${good.name} is multi-region, logging, and records read and write management events`,
      problems: [],
      fixes: [],
      errors: [],
    };
  }
  const problems = findings.flatMap((f) => f.problems);
  const fixes = findings.flatMap((f) => f.fixes);
  const errors = findings.flatMap((f) => f.errors);
  const unknown = findings.filter((f) => f.problems.length === 0);
  return unknown.length > 0
    ? {
        kind: 'trail',
        status: 'could-not-check',
        summary: `could not read ${unknown.map((f) => f.name).join(', ')}: no trail is known to log what Cordon needs`,
        problems,
        fixes,
        errors,
      }
    : {
        kind: 'trail',
        status: 'missing',
        summary: 'no multi-region trail is logging read and write management events',
        problems,
        fixes,
        errors,
      };
}
