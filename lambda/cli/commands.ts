import type { CliCommand } from './usage';

/** Every `cordon` command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [];
