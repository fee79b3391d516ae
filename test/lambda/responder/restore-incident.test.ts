import { IAMClient, IAMServiceException, ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../../../lambda/config/load';
import { stageCompromisedUser, type StagedAccount } from '../../../lambda/demo/stage-compromised-user';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import { containManually } from '../../../lambda/responder/contain-manually';
import { IncidentNotFoundError, restoreIncident } from '../../../lambda/responder/restore-incident';
import { readUserState } from '../../support/iam-user-state';
import { sharedMotoUrl, uniqueName } from '../../support/moto';
import { useTempDir } from '../../support/temp-dir';

/** What restore must not lift when it cannot tell who else holds the user (the CLI tests cover the two-incident sequences). */
describe('restoreIncident', () => {
  const dir = useTempDir('cordon-restore-');
  let staged: StagedAccount;
  let iam: IAMClient;
  let store: LocalIncidentStore;

  const contain = async () => {
    const result = await containManually(
      { kind: 'user', name: staged.victim.userName },
      {
        iam,
        store,
        publisher: { publish: () => Promise.resolve() },
        config: parseConfig({ protectedPrincipals: [staged.admin.arn] }),
        accountId: () => Promise.resolve(staged.accountId),
      },
    );
    return result.incidentId;
  };

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
  }, 60_000);

  it('lifts nothing, and stays open, when the user is tagged by an incident this store does not know', async () => {
    const incidentId = await contain();
    await iam.send(
      new TagUserCommand({
        UserName: staged.victim.userName,
        Tags: [{ Key: 'cordon:incident', Value: 'cordon-20261201T0000-0123456789ab' }],
      }),
    );
    const contained = await readUserState(iam, staged.victim.userName);
    const restore = await restoreIncident({ iam, store, incidentId });
    expect(restore).toMatchObject({ results: [], released: false });
    expect(restore.leftInPlace[0]).toMatchObject({ heldBy: 'cordon-20261201T0000-0123456789ab' });
    expect(restore.leftInPlace[0]?.why).toContain('whose record is not in');
    expect(await readUserState(iam, staged.victim.userName)).toEqual(contained);
  });

  it('lifts nothing when the tags cannot be read, so a later hold cannot be ruled out', async () => {
    const incidentId = await contain();
    const failing = new IAMClient({ region: 'us-east-1' });
    const mock = mockClient(failing);
    mock.onAnyCommand().rejects(new Error('no other call may be made'));
    mock.on(ListUserTagsCommand).rejects(
      new IAMServiceException({
        name: 'Throttling',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: {},
      }),
    );
    const restore = await restoreIncident({ iam: failing, store, incidentId });
    expect(restore).toMatchObject({ results: [], released: false, leftInPlace: [{ heldBy: 'unknown' }] });
    expect(restore.leftInPlace[0]?.why).toContain('Rate exceeded');
    expect(mock.calls().map((call) => call.args[0].constructor.name)).toEqual(['ListUserTagsCommand']);
  });

  it('names the incident it cannot find', async () => {
    await expect(
      restoreIncident({ iam, store, incidentId: 'cordon-20261201T0000-ffffffffffff' }),
    ).rejects.toThrow(IncidentNotFoundError);
  });
});
