/**
 * The directory relative paths on the command line are relative to.
 *
 * `npm run -s cordon -- respond ev.json` runs the CLI with the package root as its cwd; npm puts
 * the directory the user ran npm in into INIT_CWD. INIT_CWD alone proves nothing: every process
 * npm starts inherits it (jest under `npm test`, and the CLIs those tests spawn with a cwd of their
 * own), so it is used only when the npm script that started this process is one of ours that runs
 * the CLI (npm_lifecycle_event `cordon` or `demo`).
 */

/** The package.json scripts that run the CLI itself. */
export const CLI_NPM_SCRIPTS: readonly string[] = ['cordon', 'demo'];

export function invocationDirectory(
  env: Readonly<Record<string, string | undefined>>,
  processCwd: string,
): string {
  const initCwd = env.INIT_CWD;
  const script = env.npm_lifecycle_event;
  if (initCwd && script !== undefined && CLI_NPM_SCRIPTS.includes(script)) return initCwd;
  return processCwd;
}
