import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { lookUpUserArn } from '../../../lambda/principals/lookups';
import { emulatorClientConfig, sharedMotoUrl, uniqueName } from '../../support/moto';

describe('lookUpUserArn', () => {
  const iam = new IAMClient(emulatorClientConfig(sharedMotoUrl()));

  it("reads the user's real ARN, path included", async () => {
    const userName = uniqueName('pathed');
    await iam.send(new CreateUserCommand({ UserName: userName, Path: '/ops/team/' }));
    await expect(lookUpUserArn(iam, userName)).resolves.toEqual({
      userArn: `arn:aws:iam::123456789012:user/ops/team/${userName}`,
    });
  });

  it('gives the failure as a fact, naming the call, never throwing', async () => {
    const facts = await lookUpUserArn(iam, 'no-such-user-anywhere');
    expect(facts.userArn).toBeUndefined();
    expect(facts.userLookupError).toMatch(/^iam:GetUser no-such-user-anywhere failed: NoSuchEntity/);
  });
});
