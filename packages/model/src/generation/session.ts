import { createRng } from '@music-transformer/vocab';
import { ModelError } from '../errors.js';
import { buildProcessors } from '../sampling/build.js';
import { chooseToken } from '../sampling/choose.js';
import { parseSamplingOptions } from '../sampling/config.js';
import { type EndingRampConfig, endingRamp, parseEndingRamp, rampPosition } from '../sampling/ending-ramp.js';
import { endNotBefore, musicGrammar, NoteTracker } from '../sampling/grammar.js';
import {
  DEFAULT_PITCH_RANGE,
  noteOnsOutside,
  type PitchRange,
  parsePitchRange,
} from '../sampling/pitch-range.js';
import { applyProcessors } from '../sampling/processors.js';
import type { LogitsProcessor, Rng, SamplingConfig, SamplingOptions } from '../sampling/types.js';
import { CachedDecoder } from './decoder.js';
import { RELEASE_TAIL_MS, releaseTail } from './release-tail.js';
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

/**
 * Length limits of one piece (counted since the last reset, primer excluded). At a limit the session ends
 * the piece itself: it releases the sounding notes (see `releaseTail`) and then returns `<end>`.
 */
export interface PieceLimits {
  /** Tokens per piece; the ending ramp steers towards it, and a time shift in its last 2 % stops early. */
  maxTokens?: number;
  /**
   * Seconds of music per piece, within `LENGTH_TOLERANCE_MS`: a time shift that would pass it is shortened
   * to land on it, and `<end>` cannot be sampled before the tolerance's start.
   */
  maxSeconds?: number;
  /** A runaway guard: stops like maxTokens but does not steer the ending (for a maxSeconds-only piece). */
  guardTokens?: number;
}

/**
 * How much shorter than `maxSeconds` a piece may be. A piece that ends itself inside the ending zone
 * would otherwise come up to the zone's length short; the contract of a time limit is its length
 * within a second.
 */
export const LENGTH_TOLERANCE_MS = 1000;

/** Why a session ended its piece by itself. */
export type LimitReason = 'maxTokens' | 'maxSeconds';

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
  /** Per-piece limits; default none (a piece ends only at a sampled `<end>`). */
  limits?: PieceLimits;
  /** At a limit, release the sounding notes before `<end>` (default true); false leaves them sounding. */
  closeNotes?: boolean;
  /** The ending ramp near a limit (defaults: `DEFAULT_ENDING_RAMP`); false switches it off. */
  endingRamp?: Partial<EndingRampConfig> | false;
  /**
   * Notes the grammar lets start: 'LO-HI', an instrument name or { low, high }; default the piano's
   * 21-108. Part of the grammar: with `grammar: false` no range applies.
   */
  pitchRange?: string | PitchRange;
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
  private readonly limits: PieceLimits;
  /** The last whole time step at or below limits.maxSeconds, ms (Infinity without it). */
  private readonly limitMs: number;
  /** Where sampling stops under a time limit, ms: the limit less the room kept for the release tail. */
  private readonly stopMs: number;
  private readonly closeNotes: boolean;
  /** Tokens still to return for an ending begun at a limit (the release tail, then <end>). */
  private endingQueue: number[] = [];
  private limitReason: LimitReason | null = null;
  private closedCount = 0;
  private tailCount = 0;

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
    this.limits = options.limits ?? {};
    this.limitMs =
      this.limits.maxSeconds === undefined
        ? Number.POSITIVE_INFINITY
        : Math.floor((this.limits.maxSeconds * 1000) / vocab.stepMs + 1e-9) * vocab.stepMs;
    this.closeNotes = options.closeNotes ?? true;
    // Room for the release tail inside a time limit (a tenth of a very short one), so the music never
    // runs past maxSeconds.
    const reserve = this.closeNotes
      ? Math.floor(Math.min(RELEASE_TAIL_MS, this.limitMs / 10) / vocab.stepMs) * vocab.stepMs
      : 0;
    this.stopMs = Number.isFinite(this.limitMs) ? this.limitMs - reserve : this.limitMs;
    // The masks go first, so that a masked id never takes a top-k slot or nucleus mass.
    if (options.grammar ?? true) {
      const range =
        options.pitchRange === undefined ? DEFAULT_PITCH_RANGE : parsePitchRange(options.pitchRange);
      const outOfRange = noteOnsOutside(range, vocab.ranges.note_on, vocab.config?.minPitch ?? 0);
      this.rules.push(musicGrammar(this.notes, vocab.end, outOfRange));
    } else if (options.pitchRange !== undefined) {
      throw new ModelError('BAD_INPUT', 'pitchRange is part of the grammar: it needs grammar on');
    }
    const steered = this.limits.maxTokens !== undefined || this.limits.maxSeconds !== undefined;
    const ramp = steered && options.endingRamp !== false ? parseEndingRamp(options.endingRamp) : null;
    const { maxTokens } = this.limits;
    // Token ramp: full at the start of the time-shift-boundary window, so it has done its work there.
    const tokenEnd = maxTokens === undefined ? Number.POSITIVE_INFINITY : this.boundaryStart(maxTokens);
    const tokenStart = ramp === null ? tokenEnd : tokenEnd * (1 - ramp.zone);
    const zoneMs = ramp === null ? 0 : Math.min(ramp.zone * this.stopMs, ramp.maxZoneSeconds * 1000);
    const zoneStartMs = this.stopMs - zoneMs;
    // A minimum that reaches into the ending zone is lowered to the zone's start: the limit wins. A time
    // limit sets its own minimum: `<end>` waits for the last LENGTH_TOLERANCE_MS before the limit (the
    // ramp still steers from the zone's start, so the music thins out and the end lands in that window).
    const minTokens = Math.min(options.minTokens ?? 0, Math.floor(tokenStart));
    const lengthFloorMs = Number.isFinite(this.limitMs) ? Math.max(0, this.limitMs - LENGTH_TOLERANCE_MS) : 0;
    const minMs = Math.max(Math.min((options.minSeconds ?? 0) * 1000, zoneStartMs), lengthFloorMs);
    if (minTokens > 0 || minMs > 0) {
      this.rules.push(
        endNotBefore(vocab.end, () => this.generatedCount >= minTokens && this.musicMs >= minMs),
      );
    }
    if (ramp !== null) {
      this.rules.push(
        endingRamp(
          { end: vocab.end, noteOn: vocab.ranges.note_on, noteOff: vocab.ranges.note_off },
          () =>
            Math.max(
              maxTokens === undefined ? 0 : rampPosition(this.generatedCount, tokenStart, tokenEnd),
              zoneMs > 0 ? rampPosition(this.musicMs, zoneStartMs, this.stopMs) : 0,
            ),
          ramp,
        ),
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

  /** Why the session ended the current piece at a limit (set once its ending began), else null. */
  get stoppedAt(): LimitReason | null {
    return this.limitReason;
  }

  /** Note-offs the release tail of the current piece holds (force-closed notes); 0 before a limit. */
  get closed(): number {
    return this.closedCount;
  }

  /** Tokens of the release tail returned so far (note-offs and the shifts between them; not <end>). */
  get tailReturned(): number {
    return this.tailCount;
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
    this.endingQueue = [];
    this.limitReason = null;
    this.closedCount = 0;
    this.tailCount = 0;
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

  /**
   * Generates one token, appends it to `tokens` and returns it (possibly <end>; the caller decides). At a
   * limit (see `PieceLimits`) the following calls return the ending instead: the release tail, then <end>.
   */
  next(): number {
    if (this.limitReason === null && this.atLimit()) this.beginEnding();
    const queued = this.endingQueue.shift();
    if (queued !== undefined) {
      if (queued !== this.vocab.end) this.tailCount++;
      this.push(queued);
      return queued;
    }
    if (this.pendingFeed) this.feedLast();
    const masked = applyProcessors(this.rules, this.logits!, this.history);
    const processed = applyProcessors(this.processors, masked, this.history);
    let token = chooseToken(processed, this.sampling.mode, this.rng);
    const shift = this.tokenMs[token]!;
    if (shift > 0 && this.musicMs + shift > this.stopMs) {
      // Land exactly on the time limit: the shortened shift is what the model is fed next, too.
      token = this.vocab.ranges.time_shift.first + (this.stopMs - this.musicMs) / this.vocab.stepMs - 1;
    }
    this.push(token);
    // Prefer to stop on a time-shift boundary: in the last 2 % of a token limit, a time shift ends the piece.
    const { maxTokens } = this.limits;
    if (
      this.limitReason === null &&
      maxTokens !== undefined &&
      shift > 0 &&
      this.generatedCount >= this.boundaryStart(maxTokens)
    ) {
      this.beginEnding('maxTokens');
    }
    return token;
  }

  /** First token count at which a time shift ends a piece limited to `maxTokens` (its last 2 %). */
  private boundaryStart(maxTokens: number): number {
    return maxTokens - Math.max(1, Math.floor(maxTokens * 0.02));
  }

  private push(token: number): void {
    this.history.push(token);
    this.notes.observe(token);
    this.pendingFeed = true;
    this.generatedCount++;
    this.musicMs += this.tokenMs[token]!;
  }

  private atLimit(): boolean {
    const { maxTokens, guardTokens } = this.limits;
    return (
      this.musicMs >= this.stopMs ||
      (maxTokens !== undefined && this.generatedCount >= maxTokens) ||
      (guardTokens !== undefined && this.generatedCount >= guardTokens)
    );
  }

  /** Queues the end of a piece stopped at a limit: the release tail (unless closeNotes is off), then <end>. */
  private beginEnding(reason?: LimitReason): void {
    this.limitReason = reason ?? (this.musicMs >= this.stopMs ? 'maxSeconds' : 'maxTokens');
    // argmax ignores the seed, so its tail is drawn from a fixed stream, not the session's.
    const rng = this.sampling.mode === 'argmax' ? createRng(1) : this.rng;
    const budget = Math.min(RELEASE_TAIL_MS, this.limitMs - this.musicMs);
    const tail = this.closeNotes ? releaseTail(this.notes.closingNoteOffs(), this.vocab, rng, budget) : [];
    this.closedCount = tail.filter((id) => this.tokenMs[id] === 0).length;
    this.endingQueue = [...tail, this.vocab.end];
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
