import {
  CreateDetectorCommand,
  DeleteDetectorCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  UpdateDetectorCommand,
} from '@aws-sdk/client-guardduty';
import { randomInt } from 'node:crypto';
import { enableGuardDutyDetector } from '../../../../../lambda/actions/reverts/iam-logging/guardduty-detector';
import type { RevertClients } from '../../../../../lambda/actions/reverts/types';
import { emulatorClientConfig, sharedMotoUrl } from '../../../../support/moto';
import { emulatorRevertClients } from '../../../../support/revert-clients';
import { cloudTrailRecord, revertContext, undoContext } from './support';

const REGION = 'eu-central-1';

/**
 * A GuardDuty client in an account of this test's own (moto's x-moto-account-id header): a region
 * holds one detector per account, and the shared moto_server's default account is everyone's.
 */
function guardDutyOf(account: string): GuardDutyClient {
  const client = new GuardDutyClient(emulatorClientConfig(sharedMotoUrl(), REGION));
  client.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccountHeader' },
  );
  return client;
}

function accountSetup() {
  const account = String(randomInt(100_000_000_000, 999_999_999_999));
  const guardduty = guardDutyOf(account);
  const clients: RevertClients = { ...emulatorRevertClients(sharedMotoUrl()), guardduty: () => guardduty };
  return { account, guardduty, clients };
}

function record(eventName: string, requestParameters: unknown, account: string) {
  return cloudTrailRecord({
    eventSource: 'guardduty.amazonaws.com',
    eventName,
    awsRegion: REGION,
    requestParameters,
    recipientAccountId: account,
  });
}

async function statusOf(guardduty: GuardDutyClient, detectorId: string) {
  return (await guardduty.send(new GetDetectorCommand({ DetectorId: detectorId }))).Status;
}

describe('enable-guardduty-detector on the emulator', () => {
  it('enables the detector the attacker disabled, once, and undo disables it again', async () => {
    const { account, guardduty, clients } = accountSetup();
    const { DetectorId } = await guardduty.send(
      new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: 'ONE_HOUR' }),
    );
    const detectorId = DetectorId!;
    await guardduty.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: false })); // the attacker
    const changes = enableGuardDutyDetector.changesOf(
      record('UpdateDetector', { detectorId, enable: false }, account),
    );
    expect(changes).toEqual([
      expect.objectContaining({
        region: REGION,
        target: `detector/${detectorId}`,
        details: { tampering: 'disabled', detectorId, accountId: account },
      }),
    ]);
    const [change] = changes;

    expect(await enableGuardDutyDetector.revert(change, revertContext(true, clients, account))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect(await statusOf(guardduty, detectorId)).toBe('DISABLED');

    const reverted = await enableGuardDutyDetector.revert(change, revertContext(false, clients, account));
    expect(reverted).toEqual([
      expect.objectContaining({
        status: 'done',
        before: { detectorId, status: 'DISABLED', findingPublishingFrequency: 'ONE_HOUR' },
      }),
    ]);
    expect(await statusOf(guardduty, detectorId)).toBe('ENABLED');
    expect(await enableGuardDutyDetector.revert(change, revertContext(false, clients, account))).toEqual([
      expect.objectContaining({ status: 'already-done' }),
    ]);

    expect(
      await enableGuardDutyDetector.undo(change, reverted, undoContext(false, clients, account)),
    ).toEqual([expect.objectContaining({ action: 'undo-enable-guardduty-detector', status: 'done' })]);
    expect(await statusOf(guardduty, detectorId)).toBe('DISABLED');
    expect(
      (await guardduty.send(new GetDetectorCommand({ DetectorId: detectorId }))).FindingPublishingFrequency,
    ).toBe('ONE_HOUR');
  });

  it('creates a detector where the attacker deleted one, once, and undo deletes that one only', async () => {
    const { account, guardduty, clients } = accountSetup();
    const deleted = (await guardduty.send(new CreateDetectorCommand({ Enable: true }))).DetectorId!;
    await guardduty.send(new DeleteDetectorCommand({ DetectorId: deleted })); // the attacker
    const [change] = enableGuardDutyDetector.changesOf(
      record('DeleteDetector', { detectorId: deleted }, account),
    );
    expect(change.details).toEqual({ tampering: 'deleted', detectorId: deleted, accountId: account });

    expect(await enableGuardDutyDetector.revert(change, revertContext(true, clients, account))).toEqual([
      expect.objectContaining({ status: 'planned' }),
    ]);
    expect((await guardduty.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);

    const reverted = await enableGuardDutyDetector.revert(change, revertContext(false, clients, account));
    const [created] = (await guardduty.send(new ListDetectorsCommand({}))).DetectorIds!;
    expect(reverted).toEqual([
      expect.objectContaining({
        status: 'done',
        target: `detector/${created}`,
        before: { detectors: [], createdDetectorId: created },
      }),
    ]);
    const detector = await guardduty.send(new GetDetectorCommand({ DetectorId: created }));
    expect([detector.Status, detector.FindingPublishingFrequency]).toEqual(['ENABLED', 'FIFTEEN_MINUTES']);
    expect(await enableGuardDutyDetector.revert(change, revertContext(false, clients, account))).toEqual([
      expect.objectContaining({ status: 'already-done', target: `detector/${created}` }),
    ]);

    // Another detector appears (moto allows two): undo must delete only the one it created.
    const other = (await guardduty.send(new CreateDetectorCommand({ Enable: true }))).DetectorId!;
    expect(
      await enableGuardDutyDetector.undo(change, reverted, undoContext(false, clients, account)),
    ).toEqual([expect.objectContaining({ status: 'done', target: `detector/${created}` })]);
    expect((await guardduty.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([other]);
    expect(
      await enableGuardDutyDetector.undo(change, reverted, undoContext(false, clients, account)),
    ).toEqual([expect.objectContaining({ status: 'already-done' })]);
  });

  it('enables a disabled detector the region has again instead of creating one', async () => {
    const { account, guardduty, clients } = accountSetup();
    const present = (await guardduty.send(new CreateDetectorCommand({ Enable: false }))).DetectorId!;
    const [change] = enableGuardDutyDetector.changesOf(
      record('DeleteDetector', { detectorId: 'd0123456789abcdef0123456789abcdef' }, account),
    );
    const reverted = await enableGuardDutyDetector.revert(change, revertContext(false, clients, account));
    expect(reverted).toEqual([expect.objectContaining({ status: 'done', target: `detector/${present}` })]);
    expect((await guardduty.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([present]);
    expect(await statusOf(guardduty, present)).toBe('ENABLED');
    await enableGuardDutyDetector.undo(change, reverted, undoContext(false, clients, account));
    expect(await statusOf(guardduty, present)).toBe('DISABLED');
  });
});
