import type { CheckpointMeta } from '@music-transformer/trainer';
import { CliError } from './errors.js';
import { exists } from './files.js';
import { kindOf, readSafetensorsHeader } from './safetensors-header.js';

/**
 * When a run resumes, `mt train` rewrites its checkpoint file and its model file. That is allowed
 * without --force only if the existing files belong to the same run; anything else (another run's
 * checkpoint, an unrelated file) is refused, so a typo in a path cannot destroy someone's work.
 */
export async function checkOwnCheckpoint(path: string, run: CheckpointMeta, force: boolean): Promise<void> {
  if (force || !(await exists(path))) return;
  const header = await readSafetensorsHeader(path);
  const raw = header !== null && kindOf(header) === 'checkpoint' ? header.metadata.checkpoint : undefined;
  const meta = raw === undefined ? null : parseMeta(raw);
  const same =
    meta !== null &&
    meta.dataset_fingerprint === run.dataset_fingerprint &&
    JSON.stringify(meta.hparams) === JSON.stringify(run.hparams) &&
    (meta.step ?? Number.POSITIVE_INFINITY) <= run.step;
  if (!same) {
    throw new CliError(
      'EXISTS',
      `checkpoint file ${path} exists and is not a checkpoint of this run (pass --force to overwrite it)`,
    );
  }
}

export async function checkOwnModel(path: string, runName: string, force: boolean): Promise<void> {
  if (force || !(await exists(path))) return;
  const header = await readSafetensorsHeader(path);
  const same = header !== null && kindOf(header) === 'model' && header.metadata.run === runName;
  if (!same) {
    throw new CliError(
      'EXISTS',
      `model file already exists: ${path} and was not written by run '${runName}' (pass --force to overwrite it)`,
    );
  }
}

/** A checkpoint's metadata, or null when it is not JSON (then it is not this run's checkpoint either). */
function parseMeta(raw: string): Partial<CheckpointMeta> | null {
  try {
    const meta: unknown = JSON.parse(raw);
    return meta !== null && typeof meta === 'object' ? (meta as Partial<CheckpointMeta>) : null;
  } catch {
    return null;
  }
}
