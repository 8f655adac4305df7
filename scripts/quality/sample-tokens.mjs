#!/usr/bin/env node
// @ts-check
/**
 * Writes N generated token streams (JSON) from a model file, for check-samples.mjs. The streams are
 * the raw sampled ids (`<start>`, the tokens, and `<end>` when the model stopped by itself), before any
 * MIDI writing, because writing MIDI repairs ill-formed events (stray note-offs are dropped, open notes
 * closed) and would hide exactly what check-samples measures. The generator's own defaults apply (the
 * music grammar, and the release tail for notes still sounding at the token limit: `tail` ids, `closed`
 * note-offs among them); `--min-tokens` defaults to `--max-tokens` and the ending ramp is off, so every
 * sample has that many sampled tokens (less at most 2 %: a token limit prefers to stop on a time
 * shift), the model's <end> being suppressed until then.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QualityError } from './errors.mjs';
import { intFlag, numberFlag, parseFlags } from './flags.mjs';
import { writeSamples } from './sample-run.mjs';

const DEFAULT_MODEL = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../packages/cli/assets/default-model/model.safetensors',
);

const USAGE = `Usage: node scripts/quality/sample-tokens.mjs MODEL|default OUT_DIR [options]

Generates token streams from <start> and writes OUT_DIR/sample-NN.json ({ tokens, stopReason, seconds, seed, closed }).
  --count N          samples (default 20)
  --max-tokens N     tokens per sample (default 1024)
  --seed N           seed of the first sample; sample i uses seed + i (default 1)
  --min-tokens N     <end> is suppressed before this many tokens (default: --max-tokens; 0 = the model
                     may stop whenever it likes, as mt generate --min-seconds 0 does)
  --no-grammar       sample raw model output (no masking of ill-formed note events)
  --no-close-notes   do not append note-offs for notes still sounding at the token limit
  --temperature X    (default 1)
  --top-k N, --top-p X`;

async function main() {
  const parsed = parseFlags(
    {
      args: process.argv.slice(2),
      options: {
        count: { type: 'string' },
        'max-tokens': { type: 'string' },
        'min-tokens': { type: 'string' },
        'no-grammar': { type: 'boolean', default: false },
        'no-close-notes': { type: 'boolean', default: false },
        seed: { type: 'string' },
        temperature: { type: 'string' },
        'top-k': { type: 'string' },
        'top-p': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    },
    USAGE,
  );
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 2) throw new QualityError('BAD_ARGS', `expected MODEL and OUT_DIR\n${USAGE}`);
  const count = intFlag('count', values.count, 1) ?? 20;
  const maxTokens = intFlag('max-tokens', values['max-tokens'], 1) ?? 1024;
  const minTokens = intFlag('min-tokens', values['min-tokens'], 0) ?? maxTokens;
  const seed = numberFlag('seed', values.seed, Number.isInteger, 'an integer') ?? 1;
  const temperature = numberFlag('temperature', values.temperature, (x) => x > 0, 'a number > 0');
  const topK = intFlag('top-k', values['top-k'], 1);
  const topP = numberFlag('top-p', values['top-p'], (x) => x > 0 && x <= 1, 'a number in (0, 1]');

  await writeSamples({
    modelPath: positionals[0] === 'default' ? DEFAULT_MODEL : positionals[0],
    out: positionals[1],
    count,
    maxTokens,
    seed,
    sampling: Object.fromEntries(
      Object.entries({ temperature, topK, topP }).filter(([, v]) => v !== undefined),
    ),
    rules: {
      minTokens,
      grammar: !values['no-grammar'],
      closeNotes: !values['no-close-notes'],
      ...(minTokens >= maxTokens ? { endingRamp: /** @type {const} */ (false) } : {}),
    },
    log: (line) => console.error(line),
  });
}

main().catch((error) => {
  if (error instanceof QualityError) {
    console.error(`sample-tokens: ${error.code}: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  throw error;
});
