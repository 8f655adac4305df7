import { fileURLToPath } from 'node:url';
import type { HParams } from '@music-transformer/model';
import { createVocab, presets, type Vocab } from '@music-transformer/vocab';
import { CliError } from './errors.js';
import { exists, readInput } from './files.js';
import { modelPackage, trainerPackage } from './lazy-packages.js';
import { kindOf, readSafetensorsHeader } from './safetensors-header.js';
import { importedMetadata, importTorch, isTorchFile } from './torch-source.js';

/**
 * Everything that runs a trained model (generate, evaluate, live, export) accepts the same things: a model
 * file written at the end of `mt train`, a trainer checkpoint (weights are taken, Adam moments ignored),
 * a PyTorch `.pt` of the original project (imported in memory), or the word `default` for the model
 * bundled with the CLI.
 */
export const DEFAULT_MODEL_WORD = 'default';
export const DEFAULT_MODEL_PATH = fileURLToPath(
  new URL('../assets/default-model/model.safetensors', import.meta.url),
);

export interface ModelSource {
  path: string;
  /** 'torch': a .pt of the original project, imported in memory as `mt import` would. */
  kind: 'model' | 'checkpoint' | 'torch';
  hparams: HParams;
  weights: Record<string, Float32Array>;
  vocab: Vocab;
  /** False when the file stores no vocabulary and one was chosen by its size (a note is printed). */
  vocabStored: boolean;
  /** Training step the weights come from, when the file says. */
  step: number | null;
}

/** Resolves `undefined` / `default` to the bundled model, with a clear message while none ships. */
export async function resolveModelPath(arg: string | undefined): Promise<string> {
  if (arg !== undefined && arg !== DEFAULT_MODEL_WORD) return arg;
  if (!(await exists(DEFAULT_MODEL_PATH))) {
    throw new CliError(
      'NO_DEFAULT_MODEL',
      'no default model is bundled with this version yet: pass a model file instead of `default`, e.g. runs/<name>/model.safetensors from mt train',
    );
  }
  return DEFAULT_MODEL_PATH;
}

/**
 * The vocabulary a model was trained with: the one stored in the file, else the preset whose size
 * matches (files converted from the original project store none; its vocabulary is the seed preset).
 */
export function vocabForModel(
  stored: unknown,
  hparams: HParams,
  path: string,
): { vocab: Vocab; stored: boolean } {
  if (stored !== undefined && stored !== null) {
    const vocab = createVocab(stored);
    if (vocab.size !== hparams.vocab_size) {
      throw new CliError(
        'BAD_INPUT',
        `${path}: vocabulary mismatch: its vocab '${vocab.config.name}' has ${vocab.size} ids but the weights have vocab_size ${hparams.vocab_size}`,
      );
    }
    return { vocab, stored: true };
  }
  for (const preset of Object.values(presets)) {
    const vocab = createVocab(preset);
    if (vocab.size === hparams.vocab_size) return { vocab, stored: false };
  }
  throw new CliError(
    'BAD_INPUT',
    `${path}: vocab_size ${hparams.vocab_size} matches no known vocabulary (${Object.keys(presets).join(', ')}) and the file stores none`,
  );
}

export async function loadModelSource(arg: string | undefined): Promise<ModelSource> {
  const path = await resolveModelPath(arg);
  const bytes = await readInput(path, 'model file');
  if (await isTorchFile(path)) return torchModelSource(path, bytes);
  const header = await readSafetensorsHeader(path);
  const kind = header === null ? 'unknown' : kindOf(header);
  if (kind === 'dataset') {
    throw new CliError('BAD_INPUT', `${path} is a dataset, not a model (pass a model or checkpoint file)`);
  }
  const { parseHParams, readModelFile } = await modelPackage();
  if (kind === 'checkpoint') {
    const { decodeCheckpoint } = await trainerPackage();
    const checkpoint = decodeCheckpoint(bytes, path);
    const hparams = parseHParams(checkpoint.meta.hparams);
    const stored = (checkpoint.meta as { vocab?: unknown }).vocab;
    const { vocab, stored: vocabStored } = vocabForModel(stored, hparams, path);
    return {
      path,
      kind,
      hparams,
      weights: checkpoint.state.weights,
      vocab,
      vocabStored,
      step: checkpoint.meta.step,
    };
  }
  if (kind !== 'model') {
    throw new CliError(
      'BAD_INPUT',
      `${path} is not a model file (expected a .safetensors model or checkpoint, or a PyTorch .pt)`,
    );
  }
  const file = readModelFile(bytes, { fileName: path });
  const { vocab, stored } = vocabForModel(file.vocab, file.hparams, path);
  const step = file.metadata.step === undefined ? null : Number(file.metadata.step);
  return {
    path,
    kind,
    hparams: file.hparams,
    weights: Object.fromEntries(file.weights),
    vocab,
    vocabStored: stored,
    step: Number.isFinite(step) ? step : null,
  };
}

async function torchModelSource(path: string, bytes: Uint8Array): Promise<ModelSource> {
  const imported = await importTorch(path, bytes);
  const stored = importedMetadata(imported, path).vocab;
  const { vocab, stored: vocabStored } = vocabForModel(
    stored === undefined ? undefined : JSON.parse(stored),
    imported.hparams,
    path,
  );
  return {
    path,
    kind: 'torch',
    hparams: imported.hparams,
    weights: Object.fromEntries(imported.weights),
    vocab,
    vocabStored,
    step: null,
  };
}
