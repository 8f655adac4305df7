import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointMeta } from '@music-transformer/trainer';
import { CliError } from './errors.js';
import { exists } from './files.js';
import { trainerPackage } from './lazy-packages.js';
import { kindOf, readSafetensorsHeader } from './safetensors-header.js';

/**
 * Where `mt train -l` starts: the newest step checkpoint of the run directory, or else the user's
 * checkpoint file (the original's single `ckpt_path`), which is then copied into the run directory so
 * the trainer can resume from it. Nothing is copied until `seed()` is called, after all checks passed.
 */
export interface ResumePoint {
  meta: CheckpointMeta;
  /** Copies the user's checkpoint into the run directory when the run had none. */
  seed(): void;
}

export async function readCheckpointMeta(path: string): Promise<CheckpointMeta> {
  const header = await readSafetensorsHeader(path);
  if (header === null || kindOf(header) !== 'checkpoint') {
    throw new CliError('BAD_INPUT', `${path} is not a training checkpoint (no checkpoint metadata)`);
  }
  const { CheckpointMetaSchema } = await trainerPackage();
  let raw: unknown;
  try {
    raw = JSON.parse(header.metadata.checkpoint as string);
  } catch (cause) {
    throw new CliError('BAD_INPUT', `${path}: checkpoint metadata is not JSON`, { cause });
  }
  const parsed = CheckpointMetaSchema.safeParse(raw);
  if (!parsed.success) throw new CliError('BAD_INPUT', `${path}: invalid checkpoint metadata`);
  return parsed.data;
}

export async function findResumePoint(
  runDir: string,
  checkpointFile: string,
  shownPath: string,
): Promise<ResumePoint> {
  const { listStepCheckpoints } = await trainerPackage();
  const dir = join(runDir, 'checkpoints');
  const newest = listStepCheckpoints(dir).at(-1);
  if (newest !== undefined) return { meta: await readCheckpointMeta(newest.path), seed: () => undefined };
  if (!(await exists(checkpointFile))) {
    throw new CliError('NOT_FOUND', `cannot resume: no checkpoint at ${shownPath} and none in ${dir}`);
  }
  const meta = await readCheckpointMeta(checkpointFile);
  return {
    meta,
    seed: () => {
      mkdirSync(dir, { recursive: true });
      copyFileSync(checkpointFile, join(dir, `step-${meta.step}.safetensors`));
    },
  };
}
