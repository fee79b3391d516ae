import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config/load';
import { startMotoServer } from '../emulator/moto-server';
import { LocalIncidentStore } from '../incidents/local-incident-store';
import { respond } from '../responder/respond';
import { RETRY, withErrorContext } from '../responder/clients';
import { maliciousIpCallerFinding } from './guardduty-finding';
import {
  UNAUTHENTICATED_STAGING_CALLS,
  stageCompromisedUser,
  type StaticCredentials,
} from './stage-compromised-user';

export interface DemoOutput {
  line(text: string): void;
}

/** Whether a key can still call IAM, and IAM's answer when it cannot. */
async function tryListUsers(endpoint: string, credentials: StaticCredentials): Promise<string> {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    const { Users } = await iam.send(new ListUsersCommand({}));
    return `allowed (${Users?.length ?? 0} users listed)`;
  } catch (error) {
    return `REFUSED: ${(error as Error).name}`;
  }
}

/**
 * `cordon demo`: a compromised user in an emulated account, a GuardDuty finding for its key, the
 * responder, and proof that the attacker's key no longer works. Needs no AWS account.
 */
export async function runDemo(out: DemoOutput): Promise<boolean> {
  out.line('Starting the AWS emulator (moto_server) on loopback, enforcing IAM...');
  const server = await startMotoServer({ enforceIamAfterCalls: UNAUTHENTICATED_STAGING_CALLS });
  // The incident record is for this emulated account only: it goes with the emulator.
  let evidenceDir: string | undefined;
  try {
    const staged = await stageCompromisedUser(server.url);
    const { victim, admin } = staged;
    out.line(
      `Staged account ${staged.accountId}: user ${victim.userName} with 2 access keys, a console password,`,
    );
    out.line(
      `  managed policies ${victim.managedPolicies.map((p) => p.split('/').pop()).join(', ')}, inline policies ${victim.inlinePolicies.join(', ')},`,
    );
    out.line(`  groups ${victim.groups.join(', ')}; protected admin ${admin.userName}.`);
    const stolen = victim.keys[0];
    out.line(
      `Attacker's key ${stolen.accessKeyId} calls iam:ListUsers: ${await tryListUsers(server.url, stolen)}`,
    );

    const finding = maliciousIpCallerFinding({
      accountId: staged.accountId,
      userName: victim.userName,
      accessKeyId: stolen.accessKeyId,
    });
    out.line(
      `GuardDuty finding: ${String((finding.detail as { type: string }).type)} for ${stolen.accessKeyId}. Responding...`,
    );
    out.line('');
    evidenceDir = mkdtempSync(join(tmpdir(), 'cordon-demo-'));
    const started = process.hrtime.bigint();
    const result = await respond(finding, {
      iam: withErrorContext(
        new IAMClient({
          ...RETRY,
          endpoint: server.url,
          region: 'us-east-1',
          credentials: admin.credentials,
        }),
      ),
      config: parseConfig({ protectedPrincipals: [admin.arn] }, 'demo'),
      accountId: () => Promise.resolve(staged.accountId),
      store: new LocalIncidentStore({ dir: evidenceDir }),
      publisher: { publish: () => Promise.resolve() },
    });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.duplicate) throw new Error('the demo finding was taken for a re-delivery');
    out.line(result.report.text.replace(/^/gm, '  | '));
    out.line('');
    out.line(`Responded in ${elapsedMs.toFixed(0)} ms (emulator on loopback).`);

    let refused = true;
    for (const [i, key] of victim.keys.entries()) {
      const answer = await tryListUsers(server.url, key);
      refused &&= answer.startsWith('REFUSED');
      out.line(
        `After containment, attacker's key ${i + 1} (${key.accessKeyId}) calls iam:ListUsers: ${answer}`,
      );
    }
    const adminAnswer = await tryListUsers(server.url, admin.credentials);
    out.line(`The protected admin's key calls iam:ListUsers: ${adminAnswer}`);
    out.line(
      `Undo with: cordon restore ${result.incidentId} (the record, in ${evidenceDir}, and this emulator are gone when the demo ends).`,
    );
    return refused && adminAnswer.startsWith('allowed');
  } finally {
    await server.stop();
    if (evidenceDir !== undefined) await rm(evidenceDir, { recursive: true, force: true });
  }
}
