import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { cordonConfigSchema } from '../../../lambda/config/schema';
import { expectedDetectionRules } from '../../../lambda/doctor/expected-rules';
import { checkRules } from '../../../lambda/doctor/rules-check';
import { sharedMotoUrl } from '../../support/moto';
import { createRules, freshAccount } from './doctor-account';

const config = cordonConfigSchema.parse({ honeytokenAccessKeyIds: ['AKIAIOSFODNN7HONEY01'] });
const expected = expectedDetectionRules(config);

describe('checkRules on the emulator', () => {
  it('reports every rule missing in a region where the stack was never deployed', async () => {
    const account = await freshAccount(sharedMotoUrl());
    const check = await checkRules(account.clients, config, 'us-east-1', expected);
    expect(check.status).toBe('missing');
    expect(check.problems).toEqual([`no rule for ${expected.map((r) => r.detectionId).join(', ')}`]);
    expect(check.fixes).toEqual(['npx cdk deploy Cordon']);
  });

  it('reports the honeytoken rule enabled without read-only events, and ignores rules that are not Cordon`s', async () => {
    const account = await freshAccount(sharedMotoUrl());
    const names = await createRules(account, 'us-east-1', expected);
    const client = account.clients.eventbridge('us-east-1');
    const honeytoken = names.get('honeytoken-used');
    await client.send(
      new PutRuleCommand({
        Name: honeytoken,
        State: 'ENABLED',
        Description: 'Cordon honeytoken-used: x',
        EventPattern: '{"source":["aws.iam"]}',
      }),
    );
    await client.send(
      new PutRuleCommand({
        Name: 'someone-else',
        State: 'DISABLED',
        Description: 'not Cordon',
        EventPattern: '{"source":["aws.ec2"]}',
      }),
    );
    const check = await checkRules(account.clients, config, 'us-east-1', expected);
    expect(check.status).toBe('missing');
    expect(check.problems).toEqual([
      `${honeytoken} (honeytoken-used) is ENABLED: it does not receive read-only events`,
    ]);
    expect(check.fixes).toEqual([
      'npx cdk deploy Cordon (puts the rule back in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS)',
    ]);
  });
});
