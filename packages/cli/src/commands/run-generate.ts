import { basename } from 'node:path';
import { midiToTokens, tokensToMidiWithStats } from '@music-transformer/vocab';
import { type CliEnv, outputFor, watchInterrupt } from '../command-kit.js';
import { CliError } from '../errors.js';
import { prepareDestination, readMidi, writeOutput } from '../files.js';
import { modelPackage } from '../lazy-packages.js';
import { loadModelSource } from '../model-source.js';
import { startProgress } from '../progress.js';
import { pitchRangeOf, seedOf } from '../sampling-options.js';
import { type GenerateOptions, KERNELS_OF } from './generate-options.js';
import { numberedPaths } from './generate-paths.js';

/**
 * `mt generate`'s work. `paths` is `[model] <out.mid>`; with --count N, N numbered files are written one
 * after the other and Ctrl-C stops after the file in hand.
 */
export async function runGenerate(
  paths: readonly string[],
  options: GenerateOptions,
  env: CliEnv,
): Promise<void> {
  const flags = options;
  if (paths.length > 2) {
    throw new CliError(
      'USAGE',
      `generate takes [model] <out.mid>, got ${paths.length} paths: ${paths.join(' ')}`,
    );
  }
  const [modelArg, outArg] =
    paths.length === 2 ? [paths[0], paths[1] as string] : [undefined, paths[0] as string];
  if (flags.primerTokens !== undefined && flags.primer === undefined) {
    throw new CliError('USAGE', '--primer-tokens (-it) needs a primer file (-i FILE.mid)');
  }
  if (flags.continuationOnly && flags.primer === undefined) {
    throw new CliError('USAGE', '--continuation-only needs a primer file (-i FILE.mid)');
  }
  const output = outputFor(env, flags);
  const targets = numberedPaths(outArg, flags.count);
  for (const target of targets)
    await prepareDestination(target, { force: flags.force === true, what: 'output file' });
  const primerBytes = flags.primer === undefined ? undefined : await readMidi(flags.primer, 'primer file');
  const source = await loadModelSource(modelArg);
  const { vocab } = source;
  if (!source.vocabStored)
    output.note(`${source.path} stores no vocabulary; using '${vocab.config.name}' (${vocab.size} ids)`);

  let primer: number[] = [];
  if (primerBytes !== undefined && flags.primer !== undefined) {
    const tokens = midiToTokens(primerBytes, { fileName: basename(flags.primer), vocab }).tokens;
    primer = Array.from(flags.primerTokens === undefined ? tokens : tokens.subarray(0, flags.primerTokens));
    if (primer.length === 0)
      throw new CliError('BAD_INPUT', `primer file ${flags.primer} has no notes to continue`);
  }
  const { createGenerator, DEFAULT_MAX_TOKENS, parsePitchRange } = await modelPackage();
  const pitchRange = pitchRangeOf(flags, parsePitchRange);
  const generator = createGenerator(
    { hparams: source.hparams, weights: source.weights },
    { vocab, kernels: KERNELS_OF[flags.backend] },
  );
  const seed = seedOf(flags);
  const files: Record<string, unknown>[] = [];
  // Each file is generated in one synchronous run, so a Ctrl-C handler only runs between files. With
  // --count it is worth it: the file in hand is finished and written whole, the rest are not started.
  // A single file keeps Node's default (Ctrl-C stops at once), which a handler would delay to the end.
  const interrupt =
    targets.length > 1
      ? watchInterrupt(env, output, 'finishing the current file, then stopping')
      : { signal: new AbortController().signal, dispose: () => undefined };
  try {
    for (const [index, target] of targets.entries()) {
      if (interrupt.signal.aborted) break;
      const label = targets.length > 1 ? `generate ${index + 1}/${targets.length}` : 'generate';
      // Progress counts seconds of music when a time limit is given, tokens otherwise.
      const bySeconds = flags.maxSeconds !== undefined && flags.maxTokens === undefined;
      const total = bySeconds
        ? Math.ceil(flags.maxSeconds as number)
        : (flags.maxTokens ?? DEFAULT_MAX_TOKENS);
      const progress = startProgress(output, { label, total, unit: bySeconds ? 's of music' : 'tokens' });
      let musicMs = 0;
      const started = Date.now();
      let result: ReturnType<typeof generator.generate>;
      try {
        result = generator.generate({
          primer,
          ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
          seed: seed + index,
          mode: flags.mode,
          temperature: flags.temperature,
          ...(flags.topK > 0 ? { topK: flags.topK } : {}),
          topP: flags.topP,
          ...(flags.maxSeconds !== undefined ? { maxSeconds: flags.maxSeconds } : {}),
          minSeconds: flags.minSeconds,
          grammar: flags.grammar,
          ...(pitchRange !== undefined ? { pitchRange } : {}),
          closeNotes: flags.closeNotes,
          onToken: (token, i) => {
            musicMs += vocab.kindOf(token) === 'time_shift' ? vocab.valueOf(token) * vocab.stepMs : 0;
            progress.update(bySeconds ? Math.min(Math.floor(musicMs / 1000), total) : i + 1);
          },
        });
      } catch (error) {
        progress.abort();
        throw error;
      }
      progress.stop();
      const seconds = (Date.now() - started) / 1000;
      // The generator lands a --max-seconds stop exactly on the limit and closes sounding notes there.
      const generated = result.generated;
      const written = flags.continuationOnly
        ? generated
        : [...result.tokens.slice(0, result.tokens.length - result.generated.length), ...generated];
      const { bytes, stats } = tokensToMidiWithStats(written, {
        vocab,
        bpm: flags.tempo,
        name: basename(target, '.mid'),
      });
      await writeOutput(target, bytes, 'output file');
      files.push({
        path: target,
        seed: seed + index,
        tokens: written.length,
        generated: result.generated.length,
        stop_reason: result.stopReason,
        closed_notes: result.closed,
        music_seconds: result.seconds,
        seconds,
        tokens_per_s: result.generated.length / Math.max(seconds, 1e-6),
        decode: stats,
      });
    }
  } finally {
    interrupt.dispose();
  }
  const interrupted = files.length < targets.length;
  const primerSteps = primer.reduce(
    (sum, id) => sum + (vocab.kindOf(id) === 'time_shift' ? vocab.valueOf(id) : 0),
    0,
  );
  const primerInfo = { primer_tokens: primer.length, primer_seconds: (primerSteps * vocab.stepMs) / 1000 };
  const backend = generator.kernels === 'simd' ? 'wasm' : 'cpu';
  output.result(
    {
      model: source.path,
      seed,
      backend,
      ...primerInfo,
      files,
      ...(interrupted ? { interrupted: true } : {}),
    },
    () => [
      ...files.map(
        (f) =>
          `wrote ${f.path}: ${f.generated} tokens generated (${f.stop_reason}${(f.closed_notes as number) > 0 ? `, ${f.closed_notes} sounding notes closed` : ''}), seed ${f.seed}, ${(f.tokens_per_s as number).toFixed(0)} tokens/s (${backend})`,
      ),
      ...(interrupted ? [`interrupted: wrote ${files.length} of ${targets.length} files`] : []),
    ],
  );
}
