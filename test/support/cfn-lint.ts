import { spawnSync } from 'node:child_process';
import { MOTO_INSTALL_HINT } from '../../lambda/emulator/moto-server';

export interface CfnLintFinding {
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Filename: string;
}

/** Runs cfn-lint on templates and returns its findings of level Error (warnings are not failures). */
export function cfnLintErrors(templatePaths: readonly string[]): CfnLintFinding[] {
  const run = spawnSync('cfn-lint', ['--format', 'json', '--', ...templatePaths], { encoding: 'utf8' });
  if (run.error) throw new Error(`cfn-lint could not run (${run.error.message}); ${MOTO_INSTALL_HINT}`);
  let findings: CfnLintFinding[];
  try {
    findings = JSON.parse(run.stdout || '[]') as CfnLintFinding[];
  } catch {
    throw new Error(`cfn-lint printed no JSON (exit ${run.status}): ${run.stderr}`);
  }
  return findings.filter((f) => f.Level === 'Error');
}
