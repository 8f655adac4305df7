import {
  createTrainingEngine,
  type HParamPresetName,
  hparamPresets,
  MODEL_FORMAT,
  paramSpecs,
  parseHParams,
} from '@music-transformer/model';
import { writeFileAtomic } from './atomic-write.js';
import type { LoadedDataset } from './dataset-file.js';
import type { EngineFactory } from './engine.js';
import { TrainerError } from './errors.js';
import { encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

/** The model package's data-parallel engine (docs/architecture.md "Training engine"). */
export const defaultEngineFactory: EngineFactory = async (o) =>
  createTrainingEngine({
    hparams: parseHParams(o.hparams),
    seed: o.seed,
    workers: o.workers,
    backend: o.backend,
    padId: o.padId,
  });

/**
 * The hparams a run trains with: on resume the checkpoint's unless hparams are requested explicitly (a
 * difference is then reported by the resume check, or accepted with `force`, e.g. a new dropout); for a
 * new run the requested ones with `vocab_size` taken from the dataset. Refuses a vocabulary or absolute
 * position table that cannot hold the dataset.
 */
export function resolveHParams(
  wanted: Record<string, unknown> | HParamPresetName,
  data: LoadedDataset,
  fromCheckpoint: Record<string, unknown> | null,
): Record<string, unknown> {
  const requested =
    typeof wanted === 'string' ? { ...hparamPresets[wanted], vocab_size: data.meta.vocab_size } : wanted;
  const source =
    fromCheckpoint && Object.keys(requested).length === 0
      ? fromCheckpoint
      : { vocab_size: data.meta.vocab_size, ...requested };
  let h: ReturnType<typeof parseHParams>;
  try {
    h = parseHParams(source);
  } catch (cause) {
    throw new TrainerError('BAD_OPTIONS', (cause as Error).message, { cause });
  }
  if (h.vocab_size !== data.meta.vocab_size) {
    throw new TrainerError(
      'BAD_OPTIONS',
      `hparams.vocab_size is ${h.vocab_size} but dataset ${data.path} uses a vocabulary of ${data.meta.vocab_size}`,
    );
  }
  if (h.max_abs_position > 0 && h.max_abs_position < data.length - 1) {
    throw new TrainerError(
      'BAD_OPTIONS',
      `hparams.max_abs_position (${h.max_abs_position}) is shorter than the dataset's ${data.length - 1} input positions`,
    );
  }
  return { ...h };
}

/**
 * Writes the weights-only model file in the model package's format (what its `saveModel` writes: every
 * parameter as F32 under its state_dict name, `format` and `hparams` metadata), loadable by `loadModel`.
 * Encoded directly rather than through `MusicTransformer.fromWeights` + `saveModel`: building a second
 * model in a process whose in-process engine replica holds one fails (TF.js variable names collide).
 */
export function writeFinalModel(
  path: string,
  hparams: Record<string, unknown>,
  weights: Record<string, Float32Array>,
  metadata: Record<string, string>,
): void {
  const h = parseHParams(hparams);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const spec of paramSpecs(h)) {
    const data = weights[spec.name];
    if (!data) throw new TrainerError('BAD_CHECKPOINT', `final model: engine state has no '${spec.name}'`);
    tensors.set(spec.name, { dtype: 'F32', shape: spec.shape, data });
  }
  writeFileAtomic(
    path,
    encodeSafetensors(tensors, { ...metadata, format: MODEL_FORMAT, hparams: JSON.stringify(h) }),
  );
}
