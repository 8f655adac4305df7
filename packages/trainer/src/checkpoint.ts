import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { paramSpecs, parseHParams } from '@music-transformer/model';
import { writeFileAtomic } from './atomic-write.js';
import { type CheckpointMeta, CheckpointMetaSchema } from './checkpoint-meta.js';
import type { EngineState } from './engine.js';
import { TrainerError } from './errors.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  readFileBytes,
  type SafetensorsTensor,
} from './safetensors.js';

/**
 * Checkpoint file = safetensors with the weights under their model names, Adam moments under
 * `optimizer.m.<name>` / `optimizer.v.<name>`, and CheckpointMeta as JSON in `__metadata__.checkpoint`.
 */
export interface Checkpoint {
  meta: CheckpointMeta;
  state: EngineState;
}

const M = 'optimizer.m.';
const V = 'optimizer.v.';

/** Tensors keep their model shapes (from the hparams), so the file is readable as is in Python. */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const tensors = new Map<string, SafetensorsTensor>();
  const specs = paramSpecs(parseHParams(ckpt.meta.hparams));
  const { weights, adam } = ckpt.state;
  for (const [prefix, values] of [
    ['', weights],
    [M, adam.m],
    [V, adam.v],
  ] as const) {
    for (const spec of specs) {
      const data = values[spec.name];
      if (!data) throw new TrainerError('BAD_CHECKPOINT', `engine state has no '${prefix}${spec.name}'`);
      tensors.set(prefix + spec.name, { dtype: 'F32', shape: spec.shape, data });
    }
  }
  return encodeSafetensors(tensors, { checkpoint: JSON.stringify(ckpt.meta) });
}

export function decodeCheckpoint(bytes: Uint8Array, fileName: string): Checkpoint {
  const content = decodeSafetensors(bytes, fileName, 'BAD_CHECKPOINT');
  const json = content.metadata.checkpoint;
  if (json === undefined) throw new TrainerError('BAD_CHECKPOINT', `${fileName} has no checkpoint metadata`);
  const parsed = CheckpointMetaSchema.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new TrainerError(
      'BAD_CHECKPOINT',
      `${fileName}: invalid checkpoint metadata: ${parsed.error.message}`,
    );
  }
  const weights: Record<string, Float32Array> = {};
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const [name, t] of content.tensors) {
    if (t.dtype !== 'F32') throw new TrainerError('BAD_CHECKPOINT', `${fileName}: tensor ${name} is not F32`);
    const data = t.data as Float32Array;
    if (name.startsWith(M)) m[name.slice(M.length)] = data;
    else if (name.startsWith(V)) v[name.slice(V.length)] = data;
    else weights[name] = data;
  }
  for (const name of Object.keys(weights)) {
    if (!m[name] || !v[name]) {
      throw new TrainerError('BAD_CHECKPOINT', `${fileName}: Adam moments missing for ${name}`);
    }
  }
  return { meta: parsed.data, state: { weights, adam: { m, v, t: parsed.data.adam_t } } };
}

export function readCheckpoint(path: string): Checkpoint {
  return decodeCheckpoint(readFileBytes(path, 'checkpoint', 'BAD_CHECKPOINT'), path);
}

export const stepCheckpointName = (step: number): string => `step-${step}.safetensors`;
export const BEST_CHECKPOINT = 'best.safetensors';

/** Step checkpoints in a folder, oldest first. Temporary files (`.name.tmp`) are ignored. */
export function listStepCheckpoints(dir: string): { step: number; path: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ f, m: /^step-(\d+)\.safetensors$/.exec(f) }))
    .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
    .map(({ f, m }) => ({ step: Number(m[1]), path: join(dir, f) }))
    .sort((a, b) => a.step - b.step);
}

/** Writes `step-<n>.safetensors` atomically and prunes older step checkpoints beyond `keepLast`. */
export function writeStepCheckpoint(dir: string, ckpt: Checkpoint, keepLast: number): string {
  const path = join(dir, stepCheckpointName(ckpt.meta.step));
  writeFileAtomic(path, encodeCheckpoint(ckpt));
  const all = listStepCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - keepLast))) rmSync(old.path, { force: true });
  return path;
}

export function writeBestCheckpoint(dir: string, ckpt: Checkpoint): string {
  const path = join(dir, BEST_CHECKPOINT);
  writeFileAtomic(path, encodeCheckpoint(ckpt));
  return path;
}
