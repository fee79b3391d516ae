/**
 * remove-rds-snapshot-permission on moto: the accounts (or "all") an attacker added to a DB or a
 * cluster snapshot's restore attribute are removed, the account it was shared with before stays,
 * and the undo adds back exactly what the revert removed.
 */
import {
  CreateDBClusterCommand,
  CreateDBClusterSnapshotCommand,
  CreateDBInstanceCommand,
  CreateDBSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import { removeRdsSnapshotPermission } from '../../../../../lambda/actions/reverts/data/rds-snapshot-permission';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { sharedMotoUrl, uniqueName } from '../../../../support/moto';
import { cloudTrailRecord, revertContext, undoContext } from './records';

const PARTNER = '111122223333';
const ATTACKER = '444455556666';

describe('remove-rds-snapshot-permission', () => {
  const clients = emulatorRevertClients(sharedMotoUrl());
  const rds = clients.rds('us-east-1');

  async function dbRestore(snapshot: string): Promise<string[]> {
    const answer = await rds.send(
      new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: snapshot }),
    );
    const attributes = answer.DBSnapshotAttributesResult?.DBSnapshotAttributes ?? [];
    return [...(attributes.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [])].sort();
  }

  async function clusterRestore(snapshot: string): Promise<string[]> {
    const answer = await rds.send(
      new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: snapshot }),
    );
    const attributes = answer.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes ?? [];
    return [...(attributes.find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [])].sort();
  }

  it('unshares a DB snapshot from the accounts the event added, keeps the earlier share, and the undo shares it again', async () => {
    const instance = uniqueName('db');
    const snapshot = uniqueName('db-snap');
    await rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: instance,
        DBInstanceClass: 'db.t3.micro',
        Engine: 'postgres',
        MasterUsername: 'orders',
        MasterUserPassword: 'correct-horse-battery',
        AllocatedStorage: 20,
      }),
    );
    await rds.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: instance, DBSnapshotIdentifier: snapshot }),
    );
    await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: snapshot,
        AttributeName: 'restore',
        ValuesToAdd: [PARTNER],
      }),
    );
    const shared = await rds.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: snapshot,
        AttributeName: 'restore',
        ValuesToAdd: [ATTACKER, 'all'],
      }),
    );
    const record = cloudTrailRecord({
      eventSource: 'rds.amazonaws.com',
      eventName: 'ModifyDBSnapshotAttribute',
      requestParameters: {
        dBSnapshotIdentifier: snapshot,
        attributeName: 'restore',
        valuesToAdd: [ATTACKER, 'all'],
      },
      responseElements: {
        dBSnapshotIdentifier: snapshot,
        dBSnapshotAttributes: [
          {
            attributeName: 'restore',
            attributeValues: shared.DBSnapshotAttributesResult?.DBSnapshotAttributes?.[0]?.AttributeValues,
          },
        ],
      },
    });
    const changes = removeRdsSnapshotPermission.changesOf(record);
    expect(changes).toEqual([
      expect.objectContaining({
        target: `db-snapshot/${snapshot}`,
        details: { accountId: '123456789012', kind: 'db', snapshotId: snapshot, added: [ATTACKER, 'all'] },
      }),
    ]);
    const [change] = changes;
    const opened = await dbRestore(snapshot);
    expect(opened).toEqual([PARTNER, ATTACKER, 'all'].sort());

    expect(await removeRdsSnapshotPermission.revert(change, revertContext(clients, true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await dbRestore(snapshot)).toEqual(opened);

    const reverted = await removeRdsSnapshotPermission.revert(change, revertContext(clients));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(await dbRestore(snapshot)).toEqual([PARTNER]);
    expect(await removeRdsSnapshotPermission.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(await removeRdsSnapshotPermission.undo(change, reverted, undoContext(clients, true))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await dbRestore(snapshot)).toEqual([PARTNER]);
    expect(await removeRdsSnapshotPermission.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await dbRestore(snapshot)).toEqual(opened);
    expect(await removeRdsSnapshotPermission.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
  });

  it('unshares a cluster snapshot, and the undo shares it again', async () => {
    const cluster = uniqueName('cluster');
    const snapshot = uniqueName('cluster-snap');
    await rds.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: cluster,
        Engine: 'aurora-postgresql',
        MasterUsername: 'orders',
        MasterUserPassword: 'correct-horse-battery',
      }),
    );
    await rds.send(
      new CreateDBClusterSnapshotCommand({
        DBClusterIdentifier: cluster,
        DBClusterSnapshotIdentifier: snapshot,
      }),
    );
    await rds.send(
      new ModifyDBClusterSnapshotAttributeCommand({
        DBClusterSnapshotIdentifier: snapshot,
        AttributeName: 'restore',
        ValuesToAdd: [ATTACKER],
      }),
    );
    const [change] = removeRdsSnapshotPermission.changesOf(
      cloudTrailRecord({
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBClusterSnapshotAttribute',
        requestParameters: {
          dBClusterSnapshotIdentifier: snapshot,
          attributeName: 'restore',
          valuesToAdd: [ATTACKER],
        },
      }),
    );
    expect(change.target).toBe(`cluster-snapshot/${snapshot}`);
    const reverted = await removeRdsSnapshotPermission.revert(change, revertContext(clients));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done', before: { restore: [ATTACKER] } })]);
    expect(await clusterRestore(snapshot)).toEqual([]);
    expect(await removeRdsSnapshotPermission.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);
    expect(await removeRdsSnapshotPermission.undo(change, reverted, undoContext(clients))).toEqual([
      expect.objectContaining({ status: 'done' }),
    ]);
    expect(await clusterRestore(snapshot)).toEqual([ATTACKER]);
  });

  it('reports a snapshot it cannot read as failed', async () => {
    const [change] = removeRdsSnapshotPermission.changesOf(
      cloudTrailRecord({
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBSnapshotAttribute',
        requestParameters: {
          dBSnapshotIdentifier: uniqueName('gone'),
          attributeName: 'restore',
          valuesToAdd: [ATTACKER],
        },
      }),
    );
    expect(await removeRdsSnapshotPermission.revert(change, revertContext(clients))).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: expect.objectContaining({ name: 'DBSnapshotNotFoundFault' }),
      }),
    ]);
  });

  describe('changesOf', () => {
    const record = (requestParameters: unknown, errorCode?: string) =>
      cloudTrailRecord({
        eventSource: 'rds.amazonaws.com',
        eventName: 'ModifyDBSnapshotAttribute',
        requestParameters,
        ...(errorCode ? { errorCode } : {}),
      });
    it('reads a single value and an items wrapper', () => {
      expect(
        removeRdsSnapshotPermission.changesOf(
          record({ dBSnapshotIdentifier: 's', attributeName: 'restore', valuesToAdd: 'all' }),
        )[0].details,
      ).toEqual(expect.objectContaining({ added: ['all'] }));
      expect(
        removeRdsSnapshotPermission.changesOf(
          record({ dBSnapshotIdentifier: 's', attributeName: 'restore', valuesToAdd: { items: [ATTACKER] } }),
        )[0].details,
      ).toEqual(expect.objectContaining({ added: [ATTACKER] }));
    });
    it('finds nothing when nothing was added, only removed, another attribute, or the call failed', () => {
      expect(
        removeRdsSnapshotPermission.changesOf(
          record({ dBSnapshotIdentifier: 's', attributeName: 'restore', valuesToAdd: [] }),
        ),
      ).toEqual([]);
      expect(
        removeRdsSnapshotPermission.changesOf(
          record({ dBSnapshotIdentifier: 's', attributeName: 'restore', valuesToRemove: [ATTACKER] }),
        ),
      ).toEqual([]);
      expect(
        removeRdsSnapshotPermission.changesOf(
          record({ dBSnapshotIdentifier: 's', attributeName: 'other', valuesToAdd: [ATTACKER] }),
        ),
      ).toEqual([]);
      expect(
        removeRdsSnapshotPermission.changesOf(
          record(
            { dBSnapshotIdentifier: 's', attributeName: 'restore', valuesToAdd: [ATTACKER] },
            'DBSnapshotNotFound',
          ),
        ),
      ).toEqual([]);
    });
  });
});
