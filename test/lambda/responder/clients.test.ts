import { GetUserCommand, IAMClient, ListServiceSpecificCredentialsCommand } from '@aws-sdk/client-iam';
import { AWS_OPERATION_PROPERTY, NOT_AN_AWS_RESPONSE, errorOf } from '../../../lambda/actions/types';
import { createAwsClients, withErrorContext } from '../../../lambda/responder/clients';
import { emulatorClientConfig, sharedMotoUrl } from '../../support/moto';

async function thrownBy(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

// moto has no ListServiceSpecificCredentials: it answers HTTP 500 with an HTML page, which the SDK
// cannot parse ("Deserialization error: to see the raw response, inspect the hidden field ...").
describe('errors of calls to an endpoint that is not AWS (moto_server)', () => {
  const { credentials } = emulatorClientConfig(sharedMotoUrl());

  it('read as the call, the HTTP status and the page, through a client of createAwsClients', async () => {
    const { iam } = createAwsClients('us-east-1', { endpoint: sharedMotoUrl(), credentials });

    const thrown = await thrownBy(() =>
      iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'bob' })),
    );

    expect(String((thrown as Error).message)).toContain('Deserialization error');
    const error = errorOf(thrown);
    expect(error.name).toBe(NOT_AN_AWS_RESPONSE);
    expect(error.message).toMatch(
      /^IAM ListServiceSpecificCredentials answered HTTP 500, not an AWS API response: .*Internal Server Error/,
    );
    expect(error.message).not.toContain('Deserialization error');
    expect(error.message).not.toContain('<');
  });

  it('name the call on any client given withErrorContext, without making it enumerable', async () => {
    const iam = withErrorContext(new IAMClient({ ...emulatorClientConfig(sharedMotoUrl()), maxAttempts: 1 }));

    const thrown = await thrownBy(() =>
      iam.send(new ListServiceSpecificCredentialsCommand({ UserName: 'bob' })),
    );

    expect((thrown as Record<string, unknown>)[AWS_OPERATION_PROPERTY]).toEqual({
      service: 'IAM',
      operation: 'ListServiceSpecificCredentials',
    });
    expect(Object.keys(thrown as object)).not.toContain(AWS_OPERATION_PROPERTY);
  });

  it('leave AWS errors (here moto speaking the IAM API) as the SDK names them', async () => {
    const { iam } = createAwsClients('us-east-1', { endpoint: sharedMotoUrl(), credentials, maxAttempts: 1 });

    const thrown = await thrownBy(() =>
      iam.send(new GetUserCommand({ UserName: 'nobody-cordon-clients-test' })),
    );

    expect(errorOf(thrown)).toEqual({
      name: 'NoSuchEntityException',
      message: expect.stringContaining('nobody-cordon'),
    });
  });
});
