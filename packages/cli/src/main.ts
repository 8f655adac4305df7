import { COMMANDS } from './commands/index.js';
import type { Io } from './output.js';
import { exitQuietlyOnClosedPipe } from './pipe-guard.js';
import { runCli } from './program.js';

/**
 * Runs the `music-transformer` / `mt` command with the real streams (or the given ones in tests). With
 * the real streams, a reader closing stdout early (`| head`) ends the process quietly instead of
 * crashing it with an unhandled EPIPE.
 */
export function main(args: readonly string[], io?: Io): Promise<number> {
  if (io === undefined) exitQuietlyOnClosedPipe();
  return runCli(args, { io: io ?? { stdout: process.stdout, stderr: process.stderr } }, COMMANDS);
}
