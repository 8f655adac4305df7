import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.js';
import { hiddenTempPath } from './files.js';

/**
 * The original's `train.py data ckpt_path save_path epochs` keeps ONE checkpoint file at a path the
 * user chose. The trainer keeps its checkpoints inside the run directory (the dashboard reads them
 * there), so the CLI mirrors each new step checkpoint to the user's path; `-l` can then resume from
 * that file even when the run directory is gone.
 */
export function mirrorCheckpoint(runDir: string, relativePath: string, target: string): void {
  const temp = hiddenTempPath(target);
  try {
    copyFileSync(join(runDir, relativePath), temp);
    renameSync(temp, target);
  } catch (cause) {
    throw new CliError('UNWRITABLE', `cannot write checkpoint ${target}: ${(cause as Error).message}`, {
      cause,
    });
  }
}
