import { basename, extname } from 'node:path';
import { midiToTokens, tokensToMidiWithStats } from '@music-transformer/vocab';
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
import { prepareDestination, readMidi, writeOutput } from '../files.js';
import { modelPackage } from '../lazy-packages.js';
import { loadModelSource } from '../model-source.js';
import { startProgress } from '../progress.js';
import { addSamplingOptions, pitchRangeOf, type SamplingFlags, seedOf } from '../sampling-options.js';
import { parseFloatArg, parseIntArg } from '../values.js';

interface GenerateFlags extends CommonFlags, SamplingFlags {
  mode: 'categorical' | 'argmax';
  tempo: number;
  primer?: string;
  primerTokens?: number;
  maxTokens?: number;
  maxSeconds?: number;
  grammar: boolean;
  closeNotes: boolean;
  continuationOnly?: boolean;
  count: number;
  force?: boolean;
  backend: GenerateBackend;
}

/**
 * Generation decodes one sequence on the model package's own kernels over typed arrays (no TF.js op in the
 * loop), so its backends are those kernels: `wasm` = WebAssembly SIMD, `cpu` = plain JavaScript.
 */
const GENERATE_BACKENDS = ['auto', 'wasm', 'cpu'] as const;
type GenerateBackend = (typeof GENERATE_BACKENDS)[number];
const KERNELS_OF = { auto: 'auto', wasm: 'simd', cpu: 'js' } as const;

export const GENERATE_LEGACY_FLAGS = {
  '-tm': '--tempo',
  '-it': '--primer-tokens',
  '--midi-prompt': '--primer',
  '--midi-prompt-tokens': '--primer-tokens',
} as const;

/** The original's rule: `.midi` becomes `.mid`, and `.mid` is appended when missing. */
export function midiOutputPath(path: string): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.mid') return path;
  if (ext === '.midi') return `${path.slice(0, -ext.length)}.mid`;
  return `${path}.mid`;
}

/** `--count N` writes out-1.mid ... out-N.mid; a single file keeps the name as given. */
export function numberedPaths(path: string, count: number): string[] {
  const base = midiOutputPath(path);
  if (count === 1) return [base];
  const stem = base.slice(0, -'.mid'.length);
  return Array.from({ length: count }, (_, i) => `${stem}-${i + 1}.mid`);
}

/** `mt generate [model] <out.mid>`: sample music from a trained model, optionally continuing a primer. */
export function registerGenerate(program: Command, env: CliEnv): void {
  const command = program
    .command('generate')
    .description('generate MIDI with a trained model (or the bundled default model)')
    .usage('[options] [model] <out.mid>')
    .argument(
      '<paths...>',
      "[model] <out.mid>: model or checkpoint file ('default' or omitted: the bundled model), then the output",
    )
    .addOption(
      new Option('-m, --mode <mode>', 'sampling mode')
        .choices(['categorical', 'argmax'])
        .default('categorical'),
    );
  addSamplingOptions(command, { maxTemperature: 100 });
  command
    .addOption(
      legacyOption(
        '-tm',
        '--tempo <bpm>',
        'tempo written to the file; note timing stays in real milliseconds',
      )
        .argParser(parseFloatArg({ min: 2, max: 1000 }))
        .default(120),
    )
    .option('-i, --primer <file.mid>', 'MIDI file whose tokens the model continues (alias --midi-prompt)')
    .addOption(
      legacyOption(
        '-it',
        '--primer-tokens <n>',
        'use only the first n tokens of the primer (alias --midi-prompt-tokens)',
      ).argParser(parseIntArg({ min: 1 })),
    )
    .option(
      '--max-tokens <n>',
      'most tokens to generate per file (default: 1024 when --max-seconds is not given either)',
      parseIntArg({ min: 1, max: 1_000_000 }),
    )
    .option(
      '--max-seconds <s>',
      'seconds of music per file; the piece is steered to end there (wins over --min-seconds)',
      parseFloatArg({ above: 0, max: 36_000 }),
    )
    .option('--no-grammar', 'sample raw model output: allow note-offs of silent notes and repeated note-ons')
    .option('--no-close-notes', 'at --max-tokens/--max-seconds, leave the notes still sounding unclosed')
    .option('--continuation-only', 'write only what follows the primer, not the primer itself')
    .option(
      '--count <n>',
      'number of files to generate: out-1.mid ... out-N.mid',
      parseIntArg({ min: 1, max: 1000 }),
      1,
    )
    .option('-f, --force', 'overwrite output files that exist')
    .addOption(
      new Option(
        '--backend <name>',
        'compute path: wasm = WebAssembly SIMD kernels, cpu = plain JavaScript (generation runs on its own kernels, not TF.js)',
      )
        .choices(GENERATE_BACKENDS)
        .default('auto'),
    )
    .addOption(
      new Option('-c, --compile', "the original's torch.compile flag: accepted and ignored").hideHelp(),
    )
    .addOption(
      new Option('-v', "the original's verbose flag: accepted, the summary is always printed").hideHelp(),
    );
  addCommonOptions(command);
  addExamples(command, [
    'mt generate song.mid',
    'mt generate models/piano.safetensors song.mid -t 0.9 -k 50 --max-seconds 30',
    'mt generate model.safetensors out.mid -i intro.mid -it 256 --continuation-only --count 4 --seed 7',
    'mt generate default out.mid -m argmax -tm 90',
    'mt generate out.mid --min-seconds 0 --no-grammar   # the raw model, as the original samples it',
  ]);
  command.action(async (paths: string[], flags: GenerateFlags) => {
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
    for (const [index, target] of targets.entries()) {
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
    const primerSteps = primer.reduce(
      (sum, id) => sum + (vocab.kindOf(id) === 'time_shift' ? vocab.valueOf(id) : 0),
      0,
    );
    const primerInfo = { primer_tokens: primer.length, primer_seconds: (primerSteps * vocab.stepMs) / 1000 };
    const backend = generator.kernels === 'simd' ? 'wasm' : 'cpu';
    output.result({ model: source.path, seed, backend, ...primerInfo, files }, () =>
      files.map(
        (f) =>
          `wrote ${f.path}: ${f.generated} tokens generated (${f.stop_reason}${(f.closed_notes as number) > 0 ? `, ${f.closed_notes} sounding notes closed` : ''}), seed ${f.seed}, ${(f.tokens_per_s as number).toFixed(0)} tokens/s (${backend})`,
      ),
    );
  });
}
