import { callerAccount } from '../../../lambda/cli/caller-account';
import { sharedMotoUrl } from '../../support/moto';

describe('callerAccount', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it("asks sts:GetCallerIdentity once for the credentials' account", async () => {
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: sharedMotoUrl(),
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const account = callerAccount('us-east-1');
    const first = account();
    expect(account()).toBe(first);
    await expect(first).resolves.toBe('123456789012');
  });
});
