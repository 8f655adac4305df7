import { BACKEND_CHOICES, type BackendChoice } from '@music-transformer/model/hparams';
import { type Command, Option } from 'commander';
import {
  addCommonOptions,
  addExamples,
  type CliEnv,
  type CommonFlags,
  legacyOption,
  outputFor,
} from '../command-kit.js';
import { CliError } from '../errors.js';
import { rowsFromFolder } from '../eval-rows.js';
import { isDirectory, requireFile } from '../files.js';
import { modelPackage, trainerPackage } from '../lazy-packages.js';
import { loadModelSource } from '../model-source.js';
import { startProgress } from '../progress.js';
import { kindOf, readSafetensorsHeader } from '../safetensors-header.js';
import { skipLine } from '../skip-line.js';
import { parseIntArg } from '../values.js';

interface EvaluateFlags extends CommonFlags {
  split: 'validation' | 'train' | 'all';
  length?: number;
  batchSize: number;
  backend: BackendChoice;
}

interface Rows {
  rows: Uint16Array;
  length: number;
  describe: string;
}

export const EVALUATE_LEGACY_FLAGS = { '-bs': '--batch-size' } as const;

/** `mt evaluate <model> <dataset-or-midi-folder>`: NLL per token, perplexity and accuracy. */
export function registerEvaluate(program: Command, env: CliEnv): void {
  const command = program
    .command('evaluate')
    .description(
      'score a model on a dataset file or a folder of MIDI files (NLL per token, perplexity, accuracy)',
    )
    .argument('<model>', "model or checkpoint file ('default': the bundled model)")
    .argument('<dataset-or-midi-folder>', 'dataset file from mt preprocess, or a folder of MIDI files')
    .addOption(
      new Option('--split <which>', 'dataset rows to score')
        .choices(['validation', 'train', 'all'])
        .default('validation'),
    )
    .option(
      '--length <n>',
      'row length for a MIDI folder (default: min(1024, the model context))',
      parseIntArg({ min: 3, max: 65535 }),
    )
    .addOption(
      legacyOption('-bs', '--batch-size <n>', 'rows per forward pass')
        .argParser(parseIntArg({ min: 1 }))
        .default(8),
    )
    .addOption(new Option('--backend <name>', 'TF.js backend').choices(BACKEND_CHOICES).default('auto'));
  addCommonOptions(command);
  addExamples(command, [
    'mt evaluate models/piano.safetensors data/piano.safetensors',
    'mt evaluate model.safetensors midi/test/ --json',
    'mt evaluate ckpt.safetensors data.safetensors --split all',
  ]);
  command.action(async (modelArg: string, data: string, flags: EvaluateFlags) => {
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
    try {
      for (let at = 0; at < count; at += flags.batchSize) {
        const batch = Math.min(flags.batchSize, count - at);
        const ids = Int32Array.from(rows.rows.subarray(at * rows.length, (at + batch) * rows.length));
        const r = await engine.evaluate({ ids, batch, len: rows.length });
        nllSum += r.nllSum;
        tokens += r.tokens;
        correct += r.correct;
        progress.update(at + batch);
      }
    } catch (error) {
      progress.abort();
      throw error;
    } finally {
      await engine.dispose();
    }
    progress.stop();
    if (tokens === 0) throw new CliError('BAD_INPUT', `no tokens to score in ${data}`);
    const nll = nllSum / tokens;
    output.result(
      {
        model: source.path,
        data,
        rows: count,
        tokens,
        nll,
        perplexity: Math.exp(nll),
        accuracy: correct / tokens,
        backend: engine.backend,
      },
      () => [
        `${source.path} on ${rows.describe}: ${count} rows, ${tokens} tokens scored`,
        `NLL ${nll.toFixed(4)} nats/token, perplexity ${Math.exp(nll).toFixed(2)}, accuracy ${((100 * correct) / tokens).toFixed(2)}%`,
      ],
    );
  });
}
