import { ModelError } from '../errors.js';
import { buildProcessors } from '../sampling/build.js';
import { chooseToken } from '../sampling/choose.js';
import { parseSamplingOptions } from '../sampling/config.js';
import { endNotBefore, musicGrammar, NoteTracker } from '../sampling/grammar.js';
import { applyProcessors } from '../sampling/processors.js';
import type { LogitsProcessor, Rng, SamplingConfig, SamplingOptions } from '../sampling/types.js';
import { CachedDecoder } from './decoder.js';
import type { GenerationVocab } from './vocab-info.js';
import type { DecoderWeights } from './weights.js';

/** Context policy shared by the sessions of one generator (checked by `createGenerator`). */
export interface WindowPolicy {
  /** Positions the key/value cache holds. */
  contextLength: number;
  /** Tokens the window keeps (<start> included) when it slides: 2 <= windowKeep <= contextLength. */
  windowKeep: number;
}

/**
 * Checks tokens given from outside (a primer, or appended notes): ids of the vocabulary, no <pad>, no <end>,
 * <start> only as the very first token of a sequence (`startAllowed`). `what` names them in errors.
 */
function checkTokens(ids: number[], vocab: GenerationVocab, what: string, startAllowed: boolean): void {
  ids.forEach((id, i) => {
    const at = `${what}[${i}]`;
    if (!Number.isInteger(id) || id < 0 || id >= vocab.size) {
      throw new ModelError('BAD_INPUT', `${at} = ${id} is not a token id in [0, ${vocab.size})`);
    }
    if (id === vocab.pad) throw new ModelError('BAD_INPUT', `${at} is <pad> (${id}): padding is not music`);
    if (id === vocab.start && !(startAllowed && i === 0)) {
      throw new ModelError('BAD_INPUT', `${at} is <start> (${id}): <start> may only be the first token`);
    }
    if (id === vocab.end) throw new ModelError('BAD_INPUT', `${at} is <end> (${id}): nothing follows <end>`);
  });
}

/** Checks a primer and returns it as a token list that starts with <start> (prepended when absent). */
export function normalisePrimer(primer: ArrayLike<number> | undefined, vocab: GenerationVocab): number[] {
  const ids = Array.from(primer ?? []);
  checkTokens(ids, vocab, 'primer', true);
  return ids[0] === vocab.start ? ids : [vocab.start, ...ids];
}

/** Options of a session besides weights and policy (checked by `createGenerator`). */
export interface SessionInit {
  primer?: ArrayLike<number>;
  sampling?: SamplingOptions;
  rng: Rng;
  kernels?: 'js' | 'simd';
  /** Music grammar (see `musicGrammar`); default true. */
  grammar?: boolean;
  /** `<end>` is suppressed until this many tokens were generated since the last reset; default 0. */
  minTokens?: number;
  /** `<end>` is suppressed until the generated time shifts reach this many seconds; default 0. */
  minSeconds?: number;
}

/**
 * Incremental generation of one sequence, one token per `next()`: what the live bridge drives from its
 * worker thread, and what `generate` loops over. Owns its key/value cache; sessions never share state.
 *
 * Sliding window: the cache holds `contextLength` positions. When it is full and another token must be
 * fed, the window is rebuilt as [<start>, last windowKeep - 2 tokens, new token] and re-encoded (training
 * windows also begin with <start> then mid-piece events). Each slide costs about windowKeep steps, paid
 * once per contextLength - windowKeep generated tokens. With absolute positions the window restarts at
 * position 0, so positions never run past max_abs_position.
 */
export class GenerationSession {
  private readonly decoder: CachedDecoder;
  private readonly vocab: GenerationVocab;
  private readonly policy: WindowPolicy;
  private readonly tokenMs: Float64Array;
  private readonly rng: Rng;
  private sampling: SamplingConfig;
  private processors: LogitsProcessor[];
  /** Masks applied before the sampling processors (grammar, minimum length); they never change. */
  private readonly rules: LogitsProcessor[] = [];
  private readonly notes: NoteTracker;
  private history: number[] = [];
  /** The newest token is not yet run through the decoder (fed lazily, so no step is wasted at the end). */
  private pendingFeed = false;
  private logits: Float32Array | null = null;
  private musicMs = 0;
  private generatedCount = 0;

  constructor(
    weights: DecoderWeights,
    vocab: GenerationVocab,
    policy: WindowPolicy,
    tokenMs: Float64Array,
    options: SessionInit,
  ) {
    this.vocab = vocab;
    this.policy = policy;
    this.tokenMs = tokenMs;
    this.rng = options.rng;
    this.decoder = new CachedDecoder(weights, policy.contextLength, options.kernels ?? 'auto');
    this.sampling = parseSamplingOptions(options.sampling);
    this.processors = buildProcessors(this.sampling, vocab);
    this.notes = new NoteTracker(vocab.ranges);
    // The masks go first, so that a masked id never takes a top-k slot or nucleus mass.
    if (options.grammar ?? true) this.rules.push(musicGrammar(this.notes, vocab.end));
    const minTokens = options.minTokens ?? 0;
    const minMs = (options.minSeconds ?? 0) * 1000;
    if (minTokens > 0 || minMs > 0) {
      this.rules.push(
        endNotBefore(vocab.end, () => this.generatedCount >= minTokens && this.musicMs >= minMs),
      );
    }
    this.reset(options.primer);
  }

  /** Every token so far: <start>, the primer, then the generated ones. */
  get tokens(): readonly number[] {
    return this.history;
  }

  /** Number of tokens generated since the last reset (primer excluded). */
  get generated(): number {
    return this.generatedCount;
  }

  /** Milliseconds of music (sum of time shifts) generated since the last reset. */
  get generatedMs(): number {
    return this.musicMs;
  }

  /** Number of pitches sounding after `tokens` (note-ons not yet followed by their note-off). */
  get soundingCount(): number {
    return this.notes.openCount;
  }

  /**
   * Note-off ids that would silence every sounding pitch (lowest first), without appending them: what
   * `generate` adds when it stops at a limit, so that a file never ends with hanging notes.
   */
  closingNoteOffs(): number[] {
    return this.notes.closingNoteOffs();
  }

  /** Current sampling settings. */
  get samplingConfig(): Readonly<SamplingConfig> {
    return this.sampling;
  }

  /** Changes sampling settings from the next token on (validated; unspecified fields keep their values). */
  setSampling(partial: SamplingOptions): void {
    this.sampling = parseSamplingOptions(partial, this.sampling);
    this.processors = buildProcessors(this.sampling, this.vocab);
  }

  /** Starts over from a new primer (<start> prepended when absent). The random stream continues. */
  reset(primer?: ArrayLike<number>): void {
    const ids = normalisePrimer(primer, this.vocab);
    this.history = ids;
    this.notes.reset(ids);
    this.musicMs = 0;
    this.generatedCount = 0;
    this.decoder.reset();
    this.logits = null;
    const { contextLength, windowKeep } = this.policy;
    // A primer longer than the context is encoded as a slid window would be: <start> + its last tokens.
    const window =
      ids.length <= contextLength ? ids : [this.vocab.start, ...ids.slice(ids.length - (windowKeep - 1))];
    this.decoder.prefill(window.slice(0, -1), false);
    this.pendingFeed = true; // the primer's last token is fed by the first next()
  }

  /**
   * A copy of the raw (unprocessed) logits [vocab] for the next position: for inspection, visualisation
   * and tests. Consumes no randomness.
   */
  nextLogits(): Float32Array {
    if (this.pendingFeed) this.feedLast();
    return this.logits!.slice();
  }

  /**
   * Appends tokens that did not come from the model (e.g. notes a musician just played, for a
   * call-and-response), so that generation continues from them. They count as context, not as generated.
   */
  append(ids: ArrayLike<number>): void {
    const checked = Array.from(ids);
    checkTokens(checked, this.vocab, 'append', false);
    for (const id of checked) {
      if (this.pendingFeed) this.feedLast();
      this.history.push(id);
      this.notes.observe(id);
      this.pendingFeed = true;
    }
  }

  /** Generates one token, appends it to `tokens` and returns it (possibly <end>; the caller decides). */
  next(): number {
    if (this.pendingFeed) this.feedLast();
    const masked = applyProcessors(this.rules, this.logits!, this.history);
    const processed = applyProcessors(this.processors, masked, this.history);
    const token = chooseToken(processed, this.sampling.mode, this.rng);
    this.history.push(token);
    this.notes.observe(token);
    this.pendingFeed = true;
    this.generatedCount++;
    this.musicMs += this.tokenMs[token]!;
    return token;
  }

  /** Runs the newest token through the decoder, sliding the window first when the cache is full. */
  private feedLast(): void {
    const token = this.history[this.history.length - 1]!;
    if (this.decoder.length >= this.policy.contextLength) {
      const keep = this.policy.windowKeep;
      const tail = this.history.slice(this.history.length - 1 - (keep - 2), this.history.length - 1);
      this.decoder.reset();
      this.decoder.prefill([this.vocab.start, ...tail], false);
    }
    this.logits = this.decoder.step(token);
    this.pendingFeed = false;
  }
}
