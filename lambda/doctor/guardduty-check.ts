/**
 * The GuardDuty check of one region: GuardDuty's findings (stolen instance credentials, crypto
 * mining) reach Cordon only where a detector is enabled, and a detector publishes updates to a
 * finding at its publishing frequency (six hours by default): FIFTEEN_MINUTES is recommended, and
 * anything slower is a warning, not a failure.
 */
import { GetDetectorCommand, paginateListDetectors, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import { errorOf } from '../actions/types';
import type { DoctorClients } from './clients';
import type { CheckResult } from './types';

export const RECOMMENDED_PUBLISHING_FREQUENCY = 'FIFTEEN_MINUTES';

async function detectorIds(client: GuardDutyClient): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of paginateListDetectors({ client }, {})) ids.push(...(page.DetectorIds ?? []));
  return ids;
}

function result(region: string, fields: Omit<CheckResult, 'kind' | 'region' | 'errors'>): CheckResult {
  return { kind: 'guardduty', region, errors: [], ...fields };
}

/** Whether GuardDuty is on in this region, publishing every 15 minutes. */
export async function checkGuardDuty(clients: DoctorClients, region: string): Promise<CheckResult> {
  const client = clients.guardduty(region);
  try {
    const [id] = await detectorIds(client);
    if (id === undefined) {
      return result(region, {
        status: 'missing',
        summary: `no GuardDuty detector in ${region}`,
        problems: [`GuardDuty is not on in ${region}: its findings never reach Cordon`],
        fixes: [
          `aws guardduty create-detector --enable --finding-publishing-frequency ${RECOMMENDED_PUBLISHING_FREQUENCY} --region ${region}`,
          'or set "prerequisites": { "createGuardDutyDetectors": true } in the Cordon config and run `npx cdk deploy --all`',
        ],
      });
    }
    const detector = await client.send(new GetDetectorCommand({ DetectorId: id }));
    if (detector.Status !== 'ENABLED') {
      return result(region, {
        status: 'missing',
        summary: `GuardDuty detector ${id} in ${region} is ${detector.Status ?? 'not enabled'}`,
        problems: [`detector ${id} is suspended: its findings never reach Cordon`],
        fixes: [
          `aws guardduty update-detector --detector-id ${id} --enable --finding-publishing-frequency ${RECOMMENDED_PUBLISHING_FREQUENCY} --region ${region}`,
        ],
      });
    }
    const frequency = detector.FindingPublishingFrequency;
    if (frequency !== RECOMMENDED_PUBLISHING_FREQUENCY) {
      return result(region, {
        status: 'warning',
        summary: `GuardDuty detector ${id} in ${region} is enabled, publishing ${frequency ?? 'at its default frequency'}`,
        problems: [
          `updated findings are published every ${frequency ?? '(unknown)'}: ${RECOMMENDED_PUBLISHING_FREQUENCY} is recommended`,
        ],
        fixes: [
          `aws guardduty update-detector --detector-id ${id} --finding-publishing-frequency ${RECOMMENDED_PUBLISHING_FREQUENCY} --region ${region}`,
        ],
      });
    }
    return result(region, {
      status: 'passed',
      summary: `GuardDuty detector ${id} in ${region} is enabled, publishing every 15 minutes`,
      problems: [],
      fixes: [],
    });
  } catch (error) {
    return {
      kind: 'guardduty',
      region,
      status: 'could-not-check',
      summary: `could not read GuardDuty in ${region}`,
      problems: [],
      fixes: [],
      errors: [errorOf(error)],
    };
  }
}
