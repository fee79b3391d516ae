import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  DeleteUserPolicyCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { parseConfig } from '../../../lambda/config/load';
import { stageCompromisedUser, type StagedAccount } from '../../../lambda/demo/stage-compromised-user';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import type { Report } from '../../../lambda/notify/report';
import { containManually } from '../../../lambda/responder/contain-manually';
import { restoreIncident } from '../../../lambda/responder/restore-incident';
import { verifyContainment } from '../../../lambda/responder/verify-containment';
import { readUserState } from '../../support/iam-user-state';
import { sharedMotoUrl, uniqueName } from '../../support/moto';
import { useTempDir } from '../../support/temp-dir';

/** The attacker races IAM's propagation window; the verification round contains again and escalates. */
describe('verifyContainment', () => {
  const dir = useTempDir('cordon-verify-');
  let staged: StagedAccount;
  let iam: IAMClient;
  let store: LocalIncidentStore;
  let published: Report[];
  const publisher = { publish: (report: Report) => Promise.resolve(void published.push(report)) };

  const contain = async () =>
    (
      await containManually(
        { kind: 'user', name: staged.victim.userName },
        {
          iam,
          store,
          publisher,
          config: parseConfig({ protectedPrincipals: [staged.admin.arn] }),
          accountId: () => Promise.resolve(staged.accountId),
        },
      )
    ).incidentId;

  beforeEach(async () => {
    staged = await stageCompromisedUser(sharedMotoUrl(), {
      admin: uniqueName('admin'),
      victim: uniqueName('victim'),
    });
    iam = new IAMClient({
      endpoint: sharedMotoUrl(),
      region: 'us-east-1',
      credentials: staged.admin.credentials,
    });
    store = new LocalIncidentStore({ dir: dir() });
    published = [];
  }, 60_000);

  it('redoes a removed deny, contains a key created since, and escalates', async () => {
    const incidentId = await contain();
    published = [];
    // Someone with IAM rights undoes the containment before IAM has propagated it.
    await iam.send(
      new DeleteUserPolicyCommand({ UserName: staged.victim.userName, PolicyName: 'cordon-deny-all' }),
    );
    // IAM allows two keys a user: the attacker deletes an inactive one to make room for its own.
    await iam.send(
      new DeleteAccessKeyCommand({
        UserName: staged.victim.userName,
        AccessKeyId: staged.victim.keys[1].accessKeyId,
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: staged.victim.userName }));

    const result = await verifyContainment({
      iam,
      store,
      publisher,
      request: { incidentId, userName: staged.victim.userName, round: 1 },
    });
    expect(result.escalated).toBe(true);
    expect(result.redone.map((o) => `${o.status} ${o.action} ${o.target}`)).toEqual(
      expect.arrayContaining([
        `done deny-all user/${staged.victim.userName}`,
        `done deactivate-access-key access-key/${AccessKey!.AccessKeyId}`,
      ]),
    );
    const state = await readUserState(iam, staged.victim.userName);
    expect(Object.keys(state.inlinePolicies)).toEqual(['cordon-deny-all']);
    expect(Object.values(state.accessKeys)).toEqual(['Inactive', 'Inactive']);
    expect(published).toHaveLength(1);
    expect(published[0].subject).toContain('ESCALATED');
    expect(published[0].attributes).toMatchObject({ severity: 'critical', outcome: 'escalated' });
    expect(published[0].text).toContain(`deactivate-access-key access-key/${AccessKey!.AccessKeyId}`);
    await expect(store.getDocument(incidentId, 'verification-1')).resolves.toMatchObject({ escalated: true });
  });

  it('changes and reports nothing when the containment held', async () => {
    const incidentId = await contain();
    published = [];
    const before = await readUserState(iam, staged.victim.userName);
    const result = await verifyContainment({
      iam,
      store,
      publisher,
      request: { incidentId, userName: staged.victim.userName, round: 2 },
    });
    expect(result).toMatchObject({ escalated: false, redone: [] });
    expect(published).toHaveLength(0);
    expect(await readUserState(iam, staged.victim.userName)).toEqual(before);
  });

  it('leaves an incident restored since alone: the operator restore wins', async () => {
    const incidentId = await contain();
    await restoreIncident({ iam, store, incidentId });
    const restored = await readUserState(iam, staged.victim.userName);
    const result = await verifyContainment({
      iam,
      store,
      publisher,
      request: { incidentId, userName: staged.victim.userName, round: 1 },
    });
    expect(result.skipped).toContain('restored');
    expect(await readUserState(iam, staged.victim.userName)).toEqual(restored);
  });
});
