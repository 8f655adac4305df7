import { createRng, createVocab } from '@music-transformer/vocab';
import { ModelError } from '../errors.js';
import { type HParams, parseHParams } from '../hparams.js';
import type { MusicTransformer } from '../model.js';
import { parseSamplingOptions } from '../sampling/config.js';
import type { EndingRampConfig } from '../sampling/ending-ramp.js';
import type { PitchRange } from '../sampling/pitch-range.js';
import type { Rng, SamplingOptions } from '../sampling/types.js';
import type { KernelChoice } from './decoder.js';
import { simdSupported } from './kernels.js';
import { GenerationSession, type PieceLimits, type WindowPolicy } from './session.js';
import { type GenerationVocab, msPerToken } from './vocab-info.js';
import { type DecoderWeights, prepareDecoderWeights } from './weights.js';

/** A model, or its hparams and state_dict-style weights (e.g. from `loadModel(...).weights()`). */
export type GeneratorSource = MusicTransformer | { hparams: HParams; weights: Record<string, Float32Array> };

export interface GeneratorOptions {
  /** Special ids and time-shift timing; default: the vocab package's `seed` preset. Its size must equal vocab_size. */
  vocab?: GenerationVocab;
  /**
   * Positions the key/value cache holds before the window slides. Default: max_abs_position when absolute
   * positions are used (there is no encoding past it), else max_rel_dist, else 1024.
   */
  contextLength?: number;
  /** Tokens kept (<start> included) when the window slides; default half the context. */
  windowKeep?: number;
  /** Vector kernels: 'auto' (default) = WebAssembly SIMD where available, else plain JS. */
  kernels?: KernelChoice;
}

export interface SessionOptions {
  /** Token ids to continue; <start> is prepended when absent. Default: just <start>. */
  primer?: ArrayLike<number>;
  sampling?: SamplingOptions;
  /** Seed of the sampling stream (createRng from @music-transformer/vocab); ignored when `rng` is given. Default 0. */
  seed?: number;
  /** A caller-owned random stream, e.g. `rng.fork('sampling')`. */
  rng?: Rng;
  /**
   * Music grammar, default true: a note-off is only sampled for a sounding pitch, a note-on only for a
   * silent one, and `<end>` only once no note sounds. `false` samples the model's raw choices.
   */
  grammar?: boolean;
  /** `<end>` cannot be sampled before this many tokens were generated (since the last reset); default 0. */
  minTokens?: number;
  /** `<end>` cannot be sampled before the generated time shifts reach this many seconds; default 0. */
  minSeconds?: number;
  /**
   * Per-piece limits (since the last reset): at one, the session releases the sounding notes and returns
   * `<end>` itself; the ending ramp steers towards it. Default none: only a sampled `<end>` ends a piece.
   */
  limits?: { maxTokens?: number; maxSeconds?: number };
  /** At a limit, release the sounding notes before `<end>`; default true. */
  closeNotes?: boolean;
  /** The ending ramp near a limit (see `EndingRampConfig`); false switches it off. */
  endingRamp?: Partial<EndingRampConfig> | false;
  /** Notes the grammar lets start: 'LO-HI', an instrument name or { low, high }; default piano 21-108. */
  pitchRange?: string | PitchRange;
}

/** Tokens generated when neither maxTokens nor maxSeconds is given. */
export const DEFAULT_MAX_TOKENS = 1024;

/**
 * With only maxSeconds, a runaway guard of this many tokens per second asked (and at least
 * DEFAULT_MAX_TOKENS): dense piano music runs at about 50 tokens per second, so the guard never cuts
 * music that advances in time, but a model that stops emitting time shifts cannot run forever.
 */
export const GUARD_TOKENS_PER_SECOND = 250;

export interface GenerateOptions extends SamplingOptions {
  primer?: ArrayLike<number>;
  /**
   * Most tokens to generate (primer excluded; the release tail comes on top); integer >= 1. Default:
   * DEFAULT_MAX_TOKENS when maxSeconds is not given either, else no token limit (a runaway guard of
   * GUARD_TOKENS_PER_SECOND per second asked applies).
   */
  maxTokens?: number;
  /**
   * Seconds of music to generate; > 0, default none. The piece is that long within LENGTH_TOLERANCE_MS:
   * `<end>` cannot be sampled before then, and the last time shift is shortened to land on the limit,
   * where the sounding notes are released over at most RELEASE_TAIL_MS.
   */
  maxSeconds?: number;
  /** Stop when the model emits <end> (not included in the output); default true. */
  stopOnEnd?: boolean;
  /** Music grammar (see `SessionOptions.grammar`); default true. */
  grammar?: boolean;
  /** `<end>` cannot be sampled before this many tokens; default 0. A minimum above maxTokens never binds. */
  minTokens?: number;
  /** `<end>` cannot be sampled before this many seconds of music; default 0. maxSeconds below it wins. */
  minSeconds?: number;
  /**
   * When generation stops at maxTokens or maxSeconds (not at <end>) with notes still sounding, release
   * them: one note-off per sounding pitch, staggered by short time shifts (the release tail, not sampled;
   * the note-offs are counted in `closed`). Default true.
   */
  closeNotes?: boolean;
  /** The ending ramp near a limit (see `EndingRampConfig`); false switches it off. */
  endingRamp?: Partial<EndingRampConfig> | false;
  /** Notes the grammar lets start: 'LO-HI', an instrument name or { low, high }; default piano 21-108. */
  pitchRange?: string | PitchRange;
  seed?: number;
  rng?: Rng;
  /** Called after each sampled token (not the release tail) with its index among the generated ones (0-based). */
  onToken?: (token: number, index: number) => void;
}

export type StopReason = 'end' | 'maxTokens' | 'maxSeconds';

export interface GenerateResult {
  /** <start>, primer and continuation (<end> excluded). */
  tokens: number[];
  /** The continuation only. */
  generated: number[];
  stopReason: StopReason;
  /** Seconds of music in the continuation (its time shifts, the release tail included). */
  seconds: number;
  /** Note-offs of the release tail at a limit stop (force-closed notes); 0 otherwise. */
  closed: number;
  /** Tokens of the release tail at the end of `generated` (its `closed` note-offs and the shifts between them). */
  tail: number;
}

export interface Generator {
  readonly hparams: HParams;
  readonly policy: Readonly<WindowPolicy>;
  /** The kernels the sessions run on. */
  readonly kernels: 'js' | 'simd';
  /** An incremental session (own cache and random stream) over the shared weights. */
  session(options?: SessionOptions): GenerationSession;
  /** Generates one sequence to completion. */
  generate(options?: GenerateOptions): GenerateResult;
}

const GENERATE_KEYS = new Set([
  'primer',
  'maxTokens',
  'maxSeconds',
  'stopOnEnd',
  'grammar',
  'minTokens',
  'minSeconds',
  'closeNotes',
  'endingRamp',
  'pitchRange',
  'seed',
  'rng',
  'onToken',
  'temperature',
  'topK',
  'topP',
  'mode',
]);

const GENERATOR_KEYS = new Set(['vocab', 'contextLength', 'windowKeep', 'kernels']);

function bad(message: string): never {
  throw new ModelError('BAD_INPUT', message);
}

function resolvePolicy(h: HParams, options: GeneratorOptions): WindowPolicy {
  const fallback = h.max_abs_position > 0 ? h.max_abs_position : h.max_rel_dist > 0 ? h.max_rel_dist : 1024;
  const contextLength = options.contextLength ?? fallback;
  if (!Number.isInteger(contextLength) || contextLength < 2) {
    bad(`contextLength must be an integer >= 2, got ${contextLength}`);
  }
  if (h.max_abs_position > 0 && contextLength > h.max_abs_position) {
    bad(`contextLength ${contextLength} exceeds max_abs_position ${h.max_abs_position}`);
  }
  const windowKeep = options.windowKeep ?? Math.max(2, Math.floor(contextLength / 2));
  if (!Number.isInteger(windowKeep) || windowKeep < 2 || windowKeep > contextLength) {
    bad(`windowKeep must be an integer in [2, contextLength = ${contextLength}], got ${windowKeep}`);
  }
  return { contextLength, windowKeep };
}

function resolveKernels(h: HParams, choice: KernelChoice): 'js' | 'simd' {
  if (choice !== 'auto' && choice !== 'js' && choice !== 'simd')
    bad(`kernels must be 'auto', 'simd' or 'js', got '${choice}'`);
  const ok = simdSupported({ dModel: h.d_model, dFf: h.d_ff, vocab: h.vocab_size });
  if (choice === 'simd' && !ok) {
    throw new ModelError(
      'BACKEND_UNAVAILABLE',
      `SIMD generation kernels need WebAssembly SIMD and d_model, d_ff, vocab_size divisible by 4; got ${h.d_model}, ${h.d_ff}, ${h.vocab_size}`,
    );
  }
  return choice === 'js' || !ok ? 'js' : 'simd';
}

/** Checks the session options shared by `session()` and `generate()`. */
function checkRules(o: {
  grammar?: boolean;
  minTokens?: number;
  minSeconds?: number;
  limits?: { maxTokens?: number; maxSeconds?: number };
  closeNotes?: boolean;
}): void {
  if (o.closeNotes !== undefined && typeof o.closeNotes !== 'boolean') {
    bad(`closeNotes must be a boolean, got ${o.closeNotes}`);
  }
  const { maxTokens, maxSeconds } = o.limits ?? {};
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens >= 1))
    bad(`maxTokens must be an integer >= 1, got ${maxTokens}`);
  if (maxSeconds !== undefined && !(Number.isFinite(maxSeconds) && maxSeconds > 0))
    bad(`maxSeconds must be > 0, got ${maxSeconds}`);
  if (o.grammar !== undefined && typeof o.grammar !== 'boolean')
    bad(`grammar must be a boolean, got ${o.grammar}`);
  if (o.minTokens !== undefined && !(Number.isInteger(o.minTokens) && o.minTokens >= 0)) {
    bad(`minTokens must be an integer >= 0, got ${o.minTokens}`);
  }
  if (o.minSeconds !== undefined && !(Number.isFinite(o.minSeconds) && o.minSeconds >= 0)) {
    bad(`minSeconds must be a finite number >= 0, got ${o.minSeconds}`);
  }
}

function rngOf(options: { seed?: number; rng?: Rng }): Rng {
  if (options.rng !== undefined) return options.rng;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) bad(`seed must be an integer, got ${seed}`);
  return createRng(seed);
}

/**
 * Builds a cached generator: weights are checked and rearranged once, then any number of sessions run on
 * them. Runs on its own kernels over Float32Arrays (WebAssembly SIMD or plain JS; README "Generation" says
 * why not tf ops), so it needs no tf backend and leaks no tensors; a MusicTransformer source is read once,
 * through `weights()`.
 */
export function createGenerator(source: GeneratorSource, options: GeneratorOptions = {}): Generator {
  for (const key of Object.keys(options)) {
    if (!GENERATOR_KEYS.has(key))
      bad(`unknown generator option '${key}' (known: ${[...GENERATOR_KEYS].join(', ')})`);
  }
  const hparams = parseHParams(source.hparams);
  const weights: DecoderWeights = prepareDecoderWeights(
    hparams,
    typeof source.weights === 'function' ? source.weights() : source.weights,
  );
  const vocab = options.vocab ?? createVocab();
  if (vocab.size !== hparams.vocab_size) {
    bad(`vocab has ${vocab.size} ids but the model's vocab_size is ${hparams.vocab_size}`);
  }
  const tokenMs = msPerToken(vocab);
  const policy = resolvePolicy(hparams, options);
  const kernels = resolveKernels(hparams, options.kernels ?? 'auto');

  const session = (o: SessionOptions = {}): GenerationSession => {
    checkRules(o);
    return new GenerationSession(weights, vocab, policy, tokenMs, {
      kernels,
      rng: rngOf(o),
      ...(o.primer !== undefined ? { primer: o.primer } : {}),
      ...(o.sampling !== undefined ? { sampling: o.sampling } : {}),
      ...(o.grammar !== undefined ? { grammar: o.grammar } : {}),
      ...(o.minTokens !== undefined ? { minTokens: o.minTokens } : {}),
      ...(o.minSeconds !== undefined ? { minSeconds: o.minSeconds } : {}),
      ...(o.limits !== undefined ? { limits: o.limits as PieceLimits } : {}),
      ...(o.closeNotes !== undefined ? { closeNotes: o.closeNotes } : {}),
      ...(o.endingRamp !== undefined ? { endingRamp: o.endingRamp } : {}),
      ...(o.pitchRange !== undefined ? { pitchRange: o.pitchRange } : {}),
    });
  };

  const generate = (o: GenerateOptions = {}): GenerateResult => {
    for (const key of Object.keys(o)) {
      if (!GENERATE_KEYS.has(key))
        bad(`unknown generate option '${key}' (known: ${[...GENERATE_KEYS].join(', ')})`);
    }
    checkRules({ ...o, limits: { maxTokens: o.maxTokens, maxSeconds: o.maxSeconds } });
    const limits = resolveLimits(o.maxTokens, o.maxSeconds);
    const { temperature, topK, topP, mode } = o;
    const sampling = parseSamplingOptions(
      Object.fromEntries(
        Object.entries({ temperature, topK, topP, mode }).filter(([, v]) => v !== undefined),
      ),
    );
    const s = new GenerationSession(weights, vocab, policy, tokenMs, {
      kernels,
      sampling,
      rng: rngOf(o),
      limits,
      ...(o.primer !== undefined ? { primer: o.primer } : {}),
      ...(o.grammar !== undefined ? { grammar: o.grammar } : {}),
      ...(o.minTokens !== undefined ? { minTokens: o.minTokens } : {}),
      ...(o.minSeconds !== undefined ? { minSeconds: o.minSeconds } : {}),
      ...(o.closeNotes !== undefined ? { closeNotes: o.closeNotes } : {}),
      ...(o.endingRamp !== undefined ? { endingRamp: o.endingRamp } : {}),
      ...(o.pitchRange !== undefined ? { pitchRange: o.pitchRange } : {}),
    });
    const primerLength = s.tokens.length;
    const stopOnEnd = o.stopOnEnd ?? true;
    let stopReason: StopReason = 'end';
    for (;;) {
      const tailBefore = s.tailReturned;
      const token = s.next();
      if (token === vocab.end && (s.stoppedAt !== null || stopOnEnd)) {
        stopReason = s.stoppedAt ?? 'end';
        break;
      }
      // Sampled tokens only: the release tail is not the model's choice.
      if (s.tailReturned === tailBefore) o.onToken?.(token, s.generated - 1);
    }
    const tokens = s.tokens.slice(0, -1); // <end> excluded
    return {
      tokens,
      generated: tokens.slice(primerLength),
      stopReason,
      seconds: s.generatedMs / 1000,
      closed: s.closed,
      tail: s.tailReturned,
    };
  };

  return { hparams, policy, kernels, session, generate };
}

/**
 * The limits of one `generate` call: maxTokens alone or with maxSeconds as given; maxSeconds alone gets
 * only the runaway guard; neither gives today's default length of DEFAULT_MAX_TOKENS tokens.
 */
export function resolveLimits(maxTokens: number | undefined, maxSeconds: number | undefined): PieceLimits {
  if (maxTokens === undefined && maxSeconds === undefined) return { maxTokens: DEFAULT_MAX_TOKENS };
  if (maxTokens === undefined) {
    return {
      maxSeconds,
      guardTokens: Math.max(DEFAULT_MAX_TOKENS, Math.ceil((maxSeconds as number) * GUARD_TOKENS_PER_SECOND)),
    };
  }
  return maxSeconds === undefined ? { maxTokens } : { maxTokens, maxSeconds };
}
