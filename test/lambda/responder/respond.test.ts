import { IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { parseConfig } from '../../../lambda/config/load';
import { maliciousIpCallerFinding } from '../../../lambda/demo/guardduty-finding';
import { LocalIncidentStore } from '../../../lambda/incidents/local-incident-store';
import type { Report } from '../../../lambda/notify/report';
import { respond, type ResponderDependencies } from '../../../lambda/responder/respond';
import { useTempDir } from '../../support/temp-dir';

/**
 * The stages of one run, with IAM refused outright (so that any AWS call shows), a folder store
 * and a publisher that fails on demand: what moto cannot stage as simply.
 */
describe('respond', () => {
  const dir = useTempDir('cordon-respond-unit-');
  const finding = maliciousIpCallerFinding({
    accountId: '123456789012',
    userName: 'alice',
    accessKeyId: 'AKIAEXAMPLEALICE0001',
  });

  function dependencies(publish: (report: Report) => Promise<void>) {
    const iam = new IAMClient({ region: 'us-east-1' });
    const iamMock = mockClient(iam);
    iamMock.onAnyCommand().rejects(Object.assign(new Error('refused'), { name: 'AccessDenied' }));
    const store = new LocalIncidentStore({ dir: dir() });
    const deps: ResponderDependencies = {
      iam,
      store,
      publisher: { publish },
      config: parseConfig({}),
      accountId: () => Promise.resolve('123456789012'),
    };
    return { deps, iamMock, store };
  }

  it('releases its claim when the report cannot be published; the retry publishes the recorded report without acting again', async () => {
    const published: Report[] = [];
    let failNext = true;
    const { deps, iamMock, store } = dependencies((report) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('SNS is down'));
      }
      published.push(report);
      return Promise.resolve();
    });
    await expect(respond(finding, deps)).rejects.toThrow('SNS is down');
    const first = iamMock.calls().length;
    expect(first).toBeGreaterThan(0);

    const retry = await respond(finding, deps);
    expect(retry.duplicate).toBe(false);
    // The record the failed run wrote is reported: no second containment over its own changes.
    expect(iamMock.calls()).toHaveLength(first);
    expect(published).toHaveLength(1);
    if (!retry.duplicate) expect(published[0].text).toBe(retry.report.text);

    await expect(respond(finding, deps)).resolves.toMatchObject({ duplicate: true, claim: 'completed' });
    expect(await store.getDocument(retry.incidentId, 'claim')).toMatchObject({ state: 'completed' });
  });

  it('keeps a dry run apart from the real run of the same event', async () => {
    const { deps } = dependencies(() => Promise.resolve());
    const dryRun = await respond(finding, deps, { dryRun: true });
    const real = await respond(finding, deps);
    expect(real.duplicate).toBe(false);
    expect(real.incidentId).not.toBe(dryRun.incidentId);
    // The Lambda (no repeatDryRun) does not publish a re-delivered dry run twice; the CLI plans it again.
    await expect(respond(finding, deps, { dryRun: true })).resolves.toMatchObject({ duplicate: true });
    await expect(respond(finding, deps, { dryRun: true, repeatDryRun: true })).resolves.toMatchObject({
      duplicate: false,
      incidentId: dryRun.incidentId,
    });
  });

  it('rejects an event for another account before planning: no AWS call, recorded and reported', async () => {
    const { deps, iamMock } = dependencies(() => Promise.resolve());
    const foreign = maliciousIpCallerFinding({
      accountId: '999999999999',
      userName: 'alice',
      accessKeyId: 'AKIAEXAMPLEALICE0001',
    });
    const result = await respond(foreign, deps);
    expect(result).toMatchObject({
      duplicate: false,
      record: { plan: null, rejection: { reason: 'other-account' } },
    });
    expect(iamMock.calls()).toHaveLength(0);
  });
});
