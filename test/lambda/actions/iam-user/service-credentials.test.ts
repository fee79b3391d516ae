// moto has no service-specific credential API (ListServiceSpecificCredentials answers 500 "not
// implemented"): this action is covered here, against the in-memory IAM.
import {
  deactivateServiceSpecificCredentials,
  reactivateServiceSpecificCredentials,
  readServiceSpecificCredentials,
  serviceSpecificCredentials,
} from '../../../../lambda/actions/iam-user/service-credentials';
import { FakeIam } from './support/fake-iam';
import { containContext, ok, restoreContext } from './support/contexts';

describe('service-specific credentials', () => {
  let fake: FakeIam;
  beforeEach(() => {
    fake = new FakeIam();
    fake.addUser('alice', {
      serviceCredentials: [
        { id: 'ACCA1', serviceName: 'codecommit.amazonaws.com' },
        { id: 'ACCA2', serviceName: 'cassandra.amazonaws.com', status: 'Inactive' },
        { id: 'ACCA3', serviceName: 'bedrock.amazonaws.com' },
      ],
    });
  });
  afterEach(() => fake.restore());

  it('declares what it calls', () => {
    expect(serviceSpecificCredentials.permissions).toEqual([
      'iam:ListServiceSpecificCredentials',
      'iam:UpdateServiceSpecificCredential',
    ]);
  });

  it('reads every credential with its service, following Marker (there is no SDK paginator)', async () => {
    fake.pageCap = 2;

    const credentials = await readServiceSpecificCredentials(fake.client, 'alice');

    expect(credentials).toEqual([
      {
        id: 'ACCA1',
        status: 'Active',
        createdAt: '2024-01-02T03:04:05.000Z',
        serviceName: 'codecommit.amazonaws.com',
        serviceUserName: 'alice-at-123456789012',
      },
      expect.objectContaining({ id: 'ACCA2', status: 'Inactive', serviceName: 'cassandra.amazonaws.com' }),
      expect.objectContaining({ id: 'ACCA3', status: 'Active', serviceName: 'bedrock.amazonaws.com' }),
    ]);
    expect(fake.calls.map((call) => call.input)).toEqual([
      { UserName: 'alice', MaxItems: 1000 },
      { UserName: 'alice', MaxItems: 1000, Marker: '2' },
    ]);
  });

  it('deactivates the active credentials, and restore sets them back', async () => {
    const before = await readServiceSpecificCredentials(fake.client, 'alice');
    fake.clearLog();

    const outcomes = await deactivateServiceSpecificCredentials(containContext(fake), ok(before));

    expect(outcomes.map((o) => [o.target, o.status])).toEqual([
      ['service-specific-credential/ACCA1 (codecommit.amazonaws.com)', 'done'],
      ['service-specific-credential/ACCA2 (cassandra.amazonaws.com)', 'already-done'],
      ['service-specific-credential/ACCA3 (bedrock.amazonaws.com)', 'done'],
    ]);
    expect(fake.calls.map((call) => call.input)).toEqual([
      { UserName: 'alice', ServiceSpecificCredentialId: 'ACCA1', Status: 'Inactive' },
      { UserName: 'alice', ServiceSpecificCredentialId: 'ACCA3', Status: 'Inactive' },
    ]);

    const current = ok(await readServiceSpecificCredentials(fake.client, 'alice'));
    await reactivateServiceSpecificCredentials(restoreContext(fake), outcomes, current);

    expect(fake.stateOf('alice').serviceCredentials).toEqual({
      ACCA1: 'Active',
      ACCA2: 'Inactive',
      ACCA3: 'Active',
    });
  });
});
