/**
 * `cordon doctor`'s checks of the account the credentials reach: the trail (account-wide, from
 * the home region), GuardDuty and Cordon's rules in each covered region (home and every forwarder
 * region), all at once. Each check settles on its own: one that cannot run is reported as such,
 * and the others still answer.
 */
import type { CordonConfig } from '../config/schema';
import type { DoctorClients } from './clients';
import { coveredRegions, expectedDetectionRules } from './expected-rules';
import { checkGuardDuty } from './guardduty-check';
import { checkRules } from './rules-check';
import { checkTrail } from './trail-check';
import { worstStatus, type DoctorReport } from './types';

export async function runDoctor(config: CordonConfig, clients: DoctorClients): Promise<DoctorReport> {
  const regions = coveredRegions(config);
  const expected = expectedDetectionRules(config);
  const checks = await Promise.all([
    checkTrail(clients, config.homeRegion),
    ...regions.map((region) => checkGuardDuty(clients, region)),
    ...regions.map((region) => checkRules(clients, config, region, expected)),
  ]);
  return { checks, status: worstStatus(checks.map((c) => c.status)) };
}
