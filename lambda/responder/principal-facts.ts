import { GetUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { errorOf } from '../actions';
import type { PrincipalFacts } from '../planning/plan';

/**
 * The IAM user's real ARN (its path is what a `protectedPrincipals` pattern may name), read when
 * the event gives only the user's name. A failure is a fact too: the planner then holds back.
 */
export async function lookUpUserArn(iam: IAMClient, userName: string): Promise<PrincipalFacts> {
  try {
    const { User } = await iam.send(new GetUserCommand({ UserName: userName }));
    return User?.Arn ? { userArn: User.Arn } : { userLookupError: 'iam:GetUser returned no ARN' };
  } catch (thrown) {
    const error = errorOf(thrown);
    return { userLookupError: `iam:GetUser ${userName} failed: ${error.name}: ${error.message}` };
  }
}
