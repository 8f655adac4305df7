import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkModelTensors,
  openSafetensors,
  paramSpecs,
  parseHParams,
  type SafetensorsLayout,
} from '@music-transformer/model';
import { writeFileAtomic } from './atomic-write.js';
import { type CheckpointMeta, CheckpointMetaSchema } from './checkpoint-meta.js';
import type { EngineState } from './engine.js';
import { TrainerError } from './errors.js';
import { encodeSafetensors, readFileBytes, type SafetensorsTensor } from './safetensors.js';

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

/**
 * Reads a checkpoint, checking before any tensor is copied: the metadata (JSON, schema, hparams within
 * their bounds) and every weight and Adam moment's name, dtype and shape in the header. Every error is a
 * `BAD_CHECKPOINT` naming the file.
 */
export function decodeCheckpoint(bytes: Uint8Array, fileName: string): Checkpoint {
  const fail = (msg: string, cause?: unknown): never => {
    throw new TrainerError('BAD_CHECKPOINT', msg, cause === undefined ? undefined : { cause });
  };
  let layout: SafetensorsLayout;
  try {
    layout = openSafetensors(bytes, fileName);
  } catch (cause) {
    return fail((cause as Error).message, cause);
  }
  const json = layout.metadata.checkpoint;
  if (json === undefined) fail(`${fileName} has no checkpoint metadata`);
  let raw: unknown;
  try {
    raw = JSON.parse(json!);
  } catch (cause) {
    fail(`${fileName}: checkpoint metadata is not JSON (${(cause as Error).message})`, cause);
  }
  const parsed = CheckpointMetaSchema.safeParse(raw);
  if (!parsed.success) {
    return fail(`${fileName}: invalid checkpoint metadata: ${parsed.error.message}`);
  }
  let specs: { name: string }[];
  try {
    const hparams = parseHParams(parsed.data.hparams);
    checkModelTensors(layout.tensors, hparams, fileName, { floatTypes: ['F32'], otherPrefixes: [M, V] });
    checkModelTensors(layout.tensors, hparams, fileName, {
      prefix: M,
      floatTypes: ['F32'],
      otherPrefixes: ['', V],
    });
    specs = checkModelTensors(layout.tensors, hparams, fileName, {
      prefix: V,
      floatTypes: ['F32'],
      otherPrefixes: ['', M],
    });
  } catch (cause) {
    const message = (cause as Error).message;
    return fail(message.startsWith(fileName) ? message : `${fileName}: ${message}`, cause);
  }
  const weights: Record<string, Float32Array> = {};
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const { name } of specs) {
    weights[name] = layout.tensor(name)!.data as Float32Array;
    m[name] = layout.tensor(M + name)!.data as Float32Array;
    v[name] = layout.tensor(V + name)!.data as Float32Array;
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
