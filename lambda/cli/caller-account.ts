import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { RETRY, withErrorContext } from '../responder/clients';

/**
 * The account of the credentials in the environment (sts:GetCallerIdentity, asked once): the
 * account a command-line run acts in, and so the only one whose events it may act on.
 */
export function callerAccount(region: string | undefined): () => Promise<string> {
  let account: Promise<string> | undefined;
  return () => {
    account ??= withErrorContext(new STSClient({ ...RETRY, region: region ?? 'us-east-1' }))
      .send(new GetCallerIdentityCommand({}))
      .then(({ Account }) => {
        if (!Account) throw new Error('sts:GetCallerIdentity returned no account');
        return Account;
      });
    return account;
  };
}
