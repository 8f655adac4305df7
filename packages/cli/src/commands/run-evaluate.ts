import { type CliEnv, outputFor, watchInterrupt } from '../command-kit.js';
import { CliError } from '../errors.js';
import { rowsFromFolder } from '../eval-rows.js';
import { isDirectory, requireFile } from '../files.js';
import { modelPackage, trainerPackage } from '../lazy-packages.js';
import { loadModelSource } from '../model-source.js';
import { startProgress } from '../progress.js';
import { kindOf, readSafetensorsHeader } from '../safetensors-header.js';
import { skipLine } from '../skip-line.js';
import type { EvaluateOptions } from './evaluate-options.js';

interface Rows {
  rows: Uint16Array;
  length: number;
  describe: string;
}

/** `mt evaluate`'s positional arguments. */
export interface EvaluateArgs {
  model: string;
  data: string;
}

/**
 * `mt evaluate`'s work: score the model on dataset rows or a MIDI folder. Ctrl-C stops after the batch
 * in hand and prints the scores of the rows done, marked as interrupted.
 */
export async function runEvaluate(args: EvaluateArgs, options: EvaluateOptions, env: CliEnv): Promise<void> {
  const { model: modelArg, data } = args;
  const flags = options;
  const output = outputFor(env, flags);
  const folder = await isDirectory(data);
  if (!folder) await requireFile(data, 'dataset');
  const source = await loadModelSource(modelArg);
  const { vocab, hparams } = source;
  let rows: Rows;
  if (folder) {
    const context = hparams.max_abs_position > 0 ? hparams.max_abs_position + 1 : 1025;
    const length = flags.length ?? Math.min(1025, context);
    const found = await rowsFromFolder(data, vocab, length);
    for (const s of found.skipped) output.warn(skipLine(s));
    if (found.files === 0) throw new CliError('BAD_INPUT', `no readable MIDI file in ${data}`);
    rows = { rows: found.rows, length, describe: `${found.files} MIDI files` };
  } else {
    const header = await readSafetensorsHeader(data);
    if (header === null || kindOf(header) !== 'dataset') {
      throw new CliError(
        'BAD_INPUT',
        `${data} is neither a dataset written by mt preprocess nor a folder of MIDI files`,
      );
    }
    const { readDataset } = await trainerPackage();
    const dataset = readDataset(data);
    const datasetVocab = String(dataset.meta.vocab.name ?? '?');
    if (
      dataset.meta.vocab_size !== hparams.vocab_size ||
      (source.vocabStored && datasetVocab !== vocab.config.name)
    ) {
      throw new CliError(
        'BAD_INPUT',
        `vocabulary mismatch: ${source.path} uses vocab '${vocab.config.name}' (${hparams.vocab_size} ids) but dataset ${data} uses '${datasetVocab}' (${dataset.meta.vocab_size} ids)`,
      );
    }
    let split = flags.split;
    if (split === 'validation' && dataset.validationRows === 0) {
      output.warn(`${data} has no validation rows; scoring the training rows`);
      split = 'train';
    }
    const chosen =
      split === 'all'
        ? Uint16Array.from([...dataset.train, ...dataset.validation])
        : split === 'train'
          ? dataset.train
          : dataset.validation;
    rows = { rows: chosen, length: dataset.length, describe: `${split} rows of ${data}` };
  }
  const count = rows.rows.length / rows.length;
  if (count === 0) throw new CliError('BAD_INPUT', `nothing to score in ${data}`);
  const { createTrainingEngine } = await modelPackage();
  const engine = await createTrainingEngine({
    hparams,
    seed: 1,
    workers: 1,
    backend: flags.backend,
    weights: source.weights,
    padId: vocab.pad,
  });
  const progress = startProgress(output, { label: 'evaluate', total: count, unit: 'rows' });
  let nllSum = 0;
  let tokens = 0;
  let correct = 0;
  let scored = 0;
  // Ctrl-C is seen between batches: the scores cover the rows done so far and say so.
  const interrupt = watchInterrupt(env, output, 'finishing the current batch, then scoring the rows done');
  try {
    for (let at = 0; at < count && !interrupt.signal.aborted; at += flags.batchSize) {
      const batch = Math.min(flags.batchSize, count - at);
      const ids = Int32Array.from(rows.rows.subarray(at * rows.length, (at + batch) * rows.length));
      const r = await engine.evaluate({ ids, batch, len: rows.length });
      nllSum += r.nllSum;
      tokens += r.tokens;
      correct += r.correct;
      scored = at + batch;
      progress.update(scored);
    }
  } catch (error) {
    progress.abort();
    throw error;
  } finally {
    interrupt.dispose();
    await engine.dispose();
  }
  progress.stop();
  const interrupted = scored < count;
  if (interrupted && scored === 0) throw new CliError('INTERRUPTED', 'interrupted before any row was scored');
  if (tokens === 0) throw new CliError('BAD_INPUT', `no tokens to score in ${data}`);
  const nll = nllSum / tokens;
  output.result(
    {
      model: source.path,
      data,
      rows: scored,
      tokens,
      nll,
      perplexity: Math.exp(nll),
      accuracy: correct / tokens,
      backend: engine.backend,
      ...(interrupted ? { interrupted: true, rows_planned: count } : {}),
    },
    () => [
      interrupted
        ? `${source.path} on ${rows.describe}: interrupted after ${scored} of ${count} rows, ${tokens} tokens scored`
        : `${source.path} on ${rows.describe}: ${count} rows, ${tokens} tokens scored`,
      `NLL ${nll.toFixed(4)} nats/token, perplexity ${Math.exp(nll).toFixed(2)}, accuracy ${((100 * correct) / tokens).toFixed(2)}%`,
    ],
  );
}
