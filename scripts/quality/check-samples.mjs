#!/usr/bin/env node
// @ts-check
/**
 * Generated-output checks: share of ill-formed note events over token streams, notes outside the
 * instrument's range, pitch-class histogram and notes per second of the samples, compared with the corpus.
 * Run `node scripts/quality/check-samples.mjs --help` for the options; the JSON goes to stdout.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrapIntervals } from './bootstrap.mjs';
import { parseCheckArgs, USAGE } from './check-samples-args.mjs';
import { QualityError } from './errors.mjs';
import { loadReference } from './reference.mjs';
import { buildReport } from './report.mjs';
import { folderStats } from './sample-stats.mjs';
import { loadVocab } from './vocab-loader.mjs';

const corpusManifest = resolve(dirname(fileURLToPath(import.meta.url)), '../../corpus/manifest.json');

async function main() {
  const args = parseCheckArgs(process.argv.slice(2), existsSync(corpusManifest) ? corpusManifest : null);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { vocab, encodeMidi } = await loadVocab(args.vocab);
  const samples = await folderStats(args.samples, vocab, encodeMidi, args.pitchRange);
  if (samples.length === 0) {
    throw new QualityError(
      'NO_SAMPLES',
      `${join(args.samples)}: no .mid, .json, .txt, .tokens or .u16 files`,
    );
  }
  const reference =
    args.reference === null
      ? null
      : await loadReference({
          path: args.reference,
          split: args.split,
          sources: args.sources,
          vocab,
          encodeMidi,
        });
  const { createRng } = await import('@music-transformer/vocab');
  const rng = createRng(args.bootstrapSeed);
  const bootstrap =
    args.bootstrap === 0
      ? null
      : bootstrapIntervals(samples, reference?.pitchClassHistogram ?? null, {
          resamples: args.bootstrap,
          nextInt: (n) => rng.nextInt(n),
        });
  const report = buildReport({
    folder: args.samples,
    samples,
    reference,
    maxIllFormedShare: args.maxIllFormed,
    pitchRange: args.pitchRange,
    bootstrap,
  });
  console.log(JSON.stringify(report, null, args.pretty ? 2 : undefined));
  return report.threshold.pass ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof QualityError) {
      console.error(`check-samples: ${error.code}: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  },
);
