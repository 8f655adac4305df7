/**
 * The token source the generation worker loads by default: a cached `GenerationSession` of
 * @music-transformer/model over given (or, for tests and benchmarks, seeded random) weights.
 * Loaded inside the worker thread, never on the bridge's scheduling thread.
 */
import { createGenerator, type HParamsInput, paramSpecs, parseHParams } from '@music-transformer/model';
import { createRng, createVocab } from '@music-transformer/vocab';
import type { SamplingControls } from './controls.js';
import type { TokenSource } from './token-source.js';

export interface ModelSourceOptions {
  hparams: HParamsInput;
  /** State-dict weights; when absent, untrained weights from `randomSeed` (same cost, random music). */
  weights?: Record<string, Float32Array>;
  randomSeed?: number;
  /** Vocabulary config the model was trained with (default: the vocab package's default preset). */
  vocabConfig?: unknown;
  /** Seed of the sampling stream. */
  seed: number;
  sampling?: Partial<SamplingControls>;
  /**
   * `<end>` cannot be sampled before this many seconds of music since the last reset (default 0): the
   * bridge starts a fresh piece after each `<end>`, so this is the shortest a piece (or an answer) can be.
   */
  minSeconds?: number;
  /**
   * Per-piece limits (default none): near one the piece is steered to end, at it the sounding notes are
   * released and `<end>` follows, so the bridge starts a fresh piece (or ends the answer).
   */
  maxSeconds?: number;
  maxTokens?: number;
  /** Notes the model may start: 'LO-HI' or an instrument name (default the model package's piano 21-108). */
  pitchRange?: string;
  /** Positions in the key/value cache before the window slides (default: the model's choice). */
  contextLength?: number;
}

/** Seeded untrained weights in the state_dict layout: uniform +-1/sqrt(fan_in), LayerNorm gains 1. */
export function randomWeights(hparams: HParamsInput, seed: number): Record<string, Float32Array> {
  const h = parseHParams(hparams);
  const rng = createRng(seed);
  const out: Record<string, Float32Array> = {};
  for (const { name, shape } of paramSpecs(h)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(size);
    if (name.includes('norm') && name.endsWith('weight')) a.fill(1);
    else if (!name.includes('norm')) {
      const scale = 1 / Math.sqrt(shape.length === 2 ? (shape[1] as number) : h.d_model);
      for (let i = 0; i < size; i++) a[i] = (rng.next() * 2 - 1) * scale;
    }
    out[name] = a;
  }
  return out;
}

/** Maps the bridge's sampling controls (topK 0 = off) to the model's options (topK null = off). */
function toModelSampling(c: Partial<SamplingControls>) {
  return {
    ...(c.temperature !== undefined ? { temperature: c.temperature } : {}),
    ...(c.topK !== undefined ? { topK: c.topK === 0 ? null : c.topK } : {}),
    ...(c.topP !== undefined ? { topP: c.topP } : {}),
  };
}

export function createTokenSource(options: ModelSourceOptions): TokenSource {
  const hparams = parseHParams(options.hparams);
  const weights = options.weights ?? randomWeights(hparams, options.randomSeed ?? 1);
  const vocab = createVocab(options.vocabConfig);
  const generator = createGenerator(
    { hparams, weights },
    { vocab, ...(options.contextLength !== undefined ? { contextLength: options.contextLength } : {}) },
  );
  const session = generator.session({
    seed: options.seed,
    sampling: toModelSampling(options.sampling ?? {}),
    ...(options.minSeconds !== undefined ? { minSeconds: options.minSeconds } : {}),
    ...(options.pitchRange !== undefined ? { pitchRange: options.pitchRange } : {}),
    ...(options.maxSeconds !== undefined || options.maxTokens !== undefined
      ? {
          limits: {
            ...(options.maxSeconds !== undefined ? { maxSeconds: options.maxSeconds } : {}),
            ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
          },
        }
      : {}),
  });
  return {
    next: () => session.next(),
    setSampling: (update) => session.setSampling(toModelSampling(update)),
    reset: (primer) => session.reset(primer),
    get tokens() {
      return session.tokens;
    },
  };
}
