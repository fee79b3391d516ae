import { containCommand } from './commands/contain';
import { demoCommand } from './commands/demo';
import { detectCommand } from './commands/detect';
import { respondCommand } from './commands/respond';
import { restoreCommand } from './commands/restore';
import { sweepCommand } from './commands/sweep';
import { doctorCommand } from './commands/doctor';
import type { CliCommand } from './usage';

/** Every `cordon` command, in the order `--help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  detectCommand,
  respondCommand,
  containCommand,
  restoreCommand,
  sweepCommand,
  doctorCommand,
  demoCommand,
];
