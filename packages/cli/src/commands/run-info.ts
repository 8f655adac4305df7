import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { midiToTokens } from '@music-transformer/vocab';
import { type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { CliError } from '../errors.js';
import { exists, readInput } from '../files.js';
import { modelPackage, trainerPackage } from '../lazy-packages.js';
import { metricText } from '../metric-text.js';
import { DEFAULT_MODEL_WORD, resolveModelPath, vocabForModel } from '../model-source.js';
import { kindOf, readSafetensorsHeader, type SafetensorsHeader } from '../safetensors-header.js';
import { skipLine } from '../skip-line.js';
import { importTorch, isTorchFile } from '../torch-source.js';
import { type VocabFlags, vocabFromFlags } from '../vocab-options.js';
import { describeWindows } from '../windows-option.js';

export type InfoFlags = CommonFlags & VocabFlags;
type ModelPackage = Awaited<ReturnType<typeof modelPackage>>;
type TrainerPackage = Awaited<ReturnType<typeof trainerPackage>>;

interface Info {
  kind: string;
  value: Record<string, unknown>;
  lines: string[];
}

function parseJson(text: string | undefined, path: string, key: string): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch (cause) {
    throw new CliError('BAD_INPUT', `${path}: metadata '${key}' is not JSON`, { cause });
  }
}

/** Runs a schema check of a file's metadata; its failure becomes one line naming the file. */
function checked<T>(path: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    const message = (cause as Error).message.split('\n', 1)[0] ?? '';
    // The model package's own messages already say what is invalid ("invalid hparams: ...").
    const reason = message.startsWith('invalid ') ? message : `invalid ${what}: ${message}`;
    throw new CliError('BAD_INPUT', `${path}: ${reason}`, { cause });
  }
}

function hparamsLine(h: Record<string, unknown>): string {
  return `hparams: d_model ${h.d_model}, layers ${h.num_layers}, heads ${h.num_heads}, d_ff ${h.d_ff}, max_rel_dist ${h.max_rel_dist}, max_abs_position ${h.max_abs_position}, vocab ${h.vocab_size}, dropout ${h.dropout}, norm ${h.norm}`;
}

function datasetInfo(
  path: string,
  header: SafetensorsHeader,
  { DatasetMetaSchema, datasetWindowScheme }: TrainerPackage,
): Info {
  const meta = checked(path, 'dataset metadata', () =>
    DatasetMetaSchema.parse(parseJson(header.metadata.dataset, path, 'dataset')),
  );
  const c = meta.counts;
  // Files written before the option existed have no scheme: they used the original's.
  const windows = { ...meta.windows, scheme: datasetWindowScheme(meta) };
  return {
    kind: 'dataset',
    value: {
      ...meta,
      windows,
      files: meta.files.map((f) => ({ path: f.path, split: f.split, rows: f.rows, tokens: f.tokens })),
    },
    lines: [
      `${path}: dataset (vocab '${String(meta.vocab.name)}', ${meta.vocab_size} ids, sustain ${String(meta.vocab.sustain)}, drums ${meta.include_drums === true ? 'kept' : 'dropped'})`,
      `rows: ${c.train_rows} train + ${c.validation_rows} validation, length ${meta.length} tokens, ${c.non_pad_tokens} non-pad tokens`,
      `sources: ${c.files - c.skipped} used (${c.train_files} train, ${c.validation_files} validation), ${c.skipped} skipped`,
      ...meta.skipped.map((s) => `  ${skipLine(s)}`),
      `augmentation: transpositions [${meta.augmentation.transpositions.join(', ')}], stretches [${meta.augmentation.stretches.join(', ')}]; seed ${meta.seed}`,
      `windows: ${describeWindows(windows.scheme, windows.window_length)}`,
    ],
  };
}

function checkpointInfo(
  path: string,
  header: SafetensorsHeader,
  { CheckpointMetaSchema }: TrainerPackage,
  { paramCount, parseHParams }: ModelPackage,
): Info {
  const meta = checked(path, 'checkpoint metadata', () =>
    CheckpointMetaSchema.parse(parseJson(header.metadata.checkpoint, path, 'checkpoint')),
  );
  const hparams = checked(path, 'checkpoint', () => parseHParams(meta.hparams));
  const parameters = paramCount(hparams);
  const last = meta.loss_history.at(-1);
  return {
    kind: 'checkpoint',
    value: { parameters, ...meta },
    lines: [
      `${path}: training checkpoint at step ${meta.step} (epoch ${meta.epoch}, batch ${meta.batch_in_epoch} of it done)`,
      hparamsLine(hparams),
      `parameters: ${parameters.toLocaleString('en-US')}`,
      `losses: ${meta.loss_history.length} epochs recorded${last ? `, last train ${last.train_loss?.toFixed(4) ?? '-'} / validation ${last.val_loss?.toFixed(4) ?? '-'}` : ''}${meta.best_val_loss !== null ? `, best validation ${meta.best_val_loss.toFixed(4)}` : ''}`,
      `seed ${meta.rng.seed}, warmup ${meta.schedule.warmup}, created ${meta.created}`,
    ],
  };
}

function modelInfo(
  path: string,
  header: SafetensorsHeader,
  { paramCount, parseHParams }: ModelPackage,
): Info {
  const hparams = checked(path, 'model', () =>
    parseHParams(parseJson(header.metadata.hparams, path, 'hparams')),
  );
  const stored =
    header.metadata.vocab === undefined ? undefined : parseJson(header.metadata.vocab, path, 'vocab');
  const { vocab, stored: vocabStored } = vocabForModel(stored, hparams, path);
  const parameters = paramCount(hparams);
  const { step, epoch, run } = header.metadata;
  return {
    kind: 'model',
    value: {
      hparams,
      parameters,
      vocab: vocab.config,
      vocab_stored: vocabStored,
      step: step === undefined ? null : Number(step),
      epoch: epoch === undefined ? null : Number(epoch),
      run: run ?? null,
    },
    lines: [
      `${path}: model${run ? ` of run '${run}'` : ''}${step ? ` at step ${step}` : ''}${epoch ? ` (epoch ${epoch})` : ''}`,
      hparamsLine(hparams),
      `parameters: ${parameters.toLocaleString('en-US')}`,
      `vocab: '${vocab.config.name}' (${vocab.size} ids)${vocabStored ? '' : ', assumed from the size: the file stores none'}`,
    ],
  };
}

function midiInfo(path: string, bytes: Uint8Array, flags: InfoFlags): Info {
  const vocab = vocabFromFlags(flags);
  const { tokens, report } = midiToTokens(bytes, { fileName: basename(path), vocab });
  return {
    kind: 'midi',
    value: { vocab: vocab.config.name, tokens: tokens.length, ...report },
    lines: [
      `${path}: MIDI file (format ${report.format}, ${report.tracks} tracks, ${report.ppq} ticks per beat)`,
      `notes: ${report.notesInFile} in the file, ${report.notesEncoded} encoded; duration ${report.durationSeconds.toFixed(1)} s; ${report.tempoChanges} tempo changes`,
      `tokens: ${tokens.length} under vocab '${vocab.config.name}'`,
    ],
  };
}

function runDirInfo(path: string, { readRun }: TrainerPackage): Info {
  const run = readRun(path);
  const lastTrain = [...run.records].reverse().find((r) => r.type === 'train');
  return {
    kind: 'run',
    value: {
      dir: run.dir,
      status: run.status,
      config: run.config,
      checkpoints: run.checkpoints,
      samples: run.samples,
    },
    lines: [
      `${path}: training run '${run.config.name}' (${run.status}), created ${run.config.created}`,
      hparamsLine(run.config.hparams as Record<string, unknown>),
      lastTrain && lastTrain.type === 'train'
        ? `last step ${lastTrain.step} (epoch ${lastTrain.epoch}), loss ${metricText(lastTrain.loss, 4)}`
        : 'no training step logged yet',
      `checkpoints: ${run.checkpoints.join(', ') || 'none'}`,
    ],
  };
}

/** A PyTorch .pt of the original project, read as `mt import` reads it (nothing in it is executed). */
async function torchInfo(path: string, bytes: Uint8Array, { paramCount }: ModelPackage): Promise<Info> {
  const model = await importTorch(path, bytes);
  const parameters = paramCount(model.hparams);
  return {
    kind: 'torch',
    value: { layout: model.layout, hparams: model.hparams, parameters, notes: model.notes },
    lines: [
      `${path}: PyTorch ${model.layout === 'checkpoint' ? 'checkpoint {state_dict, hparams}' : 'state_dict'} of the original project (mt generate/evaluate/live take it as it is; mt import converts it)`,
      hparamsLine(model.hparams),
      `parameters: ${parameters.toLocaleString('en-US')}`,
      ...model.notes.map((n) => `note: ${n}`),
    ],
  };
}

/**
 * Identifies a file by content (not by extension) and summarises what it holds. The word `default` stands
 * for the bundled model, as it does wherever a model is taken (generate, evaluate, live).
 */
export async function describeFile(arg: string, flags: InfoFlags): Promise<Info> {
  if (arg === DEFAULT_MODEL_WORD) {
    const bundled = await resolveModelPath(arg);
    const found = await describeFile(bundled, flags);
    const card = join(dirname(bundled), 'README.md');
    return {
      ...found,
      value: { ...found.value, bundled_default: true, model_card: card },
      lines: [`default: the model bundled with mt (model card: ${card})`, ...found.lines],
    };
  }
  const path = arg;
  const info = await stat(path).catch(() => null);
  if (info === null) throw new CliError('NOT_FOUND', `file not found: ${path}`);
  if (info.isDirectory()) {
    if (await exists(join(path, 'config.json'))) return runDirInfo(path, await trainerPackage());
    throw new CliError('BAD_INPUT', `${path} is a folder but not a run directory (no config.json)`);
  }
  const bytes = await readInput(path, 'file');
  if (String.fromCharCode(...bytes.subarray(0, 4)) === 'MThd') return midiInfo(path, bytes, flags);
  if (await isTorchFile(path)) return torchInfo(path, bytes, await modelPackage());
  const header = await readSafetensorsHeader(path);
  const kind = header === null ? 'unknown' : kindOf(header);
  if (header !== null && kind === 'dataset') return datasetInfo(path, header, await trainerPackage());
  if (header !== null && kind === 'checkpoint') {
    return checkpointInfo(path, header, await trainerPackage(), await modelPackage());
  }
  if (header !== null && kind === 'model') return modelInfo(path, header, await modelPackage());
  throw new CliError('BAD_INPUT', `${path} is not a MIDI file, dataset, checkpoint, model or run directory`);
}

/** `mt info`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runInfo(file: string, flags: InfoFlags, env: CliEnv): Promise<void> {
  const output = outputFor(env, flags);
  const info = await describeFile(file, flags);
  output.result({ file, kind: info.kind, ...info.value }, () => info.lines);
}
