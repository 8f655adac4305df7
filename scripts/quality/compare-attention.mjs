#!/usr/bin/env node
// @ts-check
/**
 * The paper's central claim at small scale: trains the same hparams twice with equal data,
 * seed and steps, once with relative attention (max_rel_dist > 0, no absolute positions) and once as
 * the baseline (max_rel_dist 0, sinusoidal absolute positions), then prints both held-out NLLs as JSON
 * (with a Markdown table for the model card). Progress of the runs goes to stderr.
 */
import { compareAttention } from './attention-run.mjs';
import { QualityError } from './errors.mjs';
import { intFlag, parseFlags } from './flags.mjs';
import { tensorShape } from './safetensors.mjs';

const USAGE = `Usage: node scripts/quality/compare-attention.mjs DATASET --out DIR [options] [-- MT_TRAIN_FLAGS...]

Trains DATASET (from \`mt preprocess\`) twice with \`mt train\` and compares validation NLL per token.
  --out DIR            runs go to DIR/runs/{relative,absolute}, models to DIR/{relative,absolute}/
  --epochs N           epochs per arm (default 1)
  --max-steps N        cap on optimizer steps per arm (same for both)
  --seed N             same seed for both arms (default 1)
  --mrd N              max_rel_dist of the relative arm (default 512)
  --map N              max_abs_position of the baseline (default: the dataset's row length)
  --mt CMD             how to run the CLI (default "node packages/cli/dist/bin.js")
  --force              pass --force to mt train (overwrite earlier runs in DIR)
Flags after -- go to both \`mt train\` runs (e.g. -- -d 128 -nl 3 -bs 8).`;

async function main() {
  const parsed = parseFlags(
    {
      args: process.argv.slice(2),
      options: {
        out: { type: 'string' },
        epochs: { type: 'string' },
        'max-steps': { type: 'string' },
        seed: { type: 'string' },
        mrd: { type: 'string' },
        map: { type: 'string' },
        mt: { type: 'string', default: 'node packages/cli/dist/bin.js' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      tokens: true,
      strict: true,
    },
    USAGE,
  );
  const { values, positionals, tokens } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  // Everything after `--` is passed through to `mt train`.
  const dashDash = tokens.find((t) => t.kind === 'option-terminator');
  const extra = dashDash === undefined ? [] : process.argv.slice(2).slice(dashDash.index + 1);
  const own = dashDash === undefined ? positionals : positionals.slice(0, positionals.length - extra.length);
  if (own.length !== 1 || values.out === undefined) {
    throw new QualityError('BAD_ARGS', `expected DATASET and --out DIR\n${USAGE}`);
  }
  const data = own[0];
  const shape = await tensorShape(data, 'train');
  const length = shape[1];
  if (shape.length !== 2 || length === undefined) {
    throw new QualityError('BAD_INPUT', `${data}: tensor 'train' is [${shape}], expected [rows, length]`);
  }
  const table = await compareAttention({
    mt: values.mt.split(' ').filter((w) => w.length > 0),
    data,
    out: values.out,
    epochs: intFlag('epochs', values.epochs, 1) ?? 1,
    maxSteps: intFlag('max-steps', values['max-steps'], 1) ?? null,
    seed: intFlag('seed', values.seed, 0) ?? 1,
    maxRelDist: intFlag('mrd', values.mrd, 1) ?? 512,
    maxAbsPosition: intFlag('map', values.map, 1) ?? length,
    force: values.force,
    extra,
    log: (line) => console.error(line),
  });
  console.log(JSON.stringify(table));
}

main().catch((error) => {
  if (error instanceof QualityError) {
    console.error(`compare-attention: ${error.code}: ${error.message}`);
    process.exitCode = error.code === 'BAD_ARGS' ? 2 : 1;
    return;
  }
  throw error;
});
