import { startIds, type TokenCodec } from './codec.js';
import { BATCH_TOKENS, type TokenGenerator } from './generator.js';
import type { NoteEdge, TokenDecoder } from './token-decoder.js';

/** Tokens kept requested from the generator while the buffer is below the lookahead. */
const IN_FLIGHT_TOKENS = BATCH_TOKENS * 2;

/**
 * The generator's side of the bridge, one phrase at a time: it resets the generator with each phrase's
 * primer, keeps tokens requested while the buffer is short, drops batches of an earlier reset (by epoch),
 * and decodes the tokens of the current one into note edges, ending the phrase at its length or at `<end>`.
 *
 * A phrase is the generated music after one primer: the whole run in generate mode (each `<end>` starts a
 * fresh piece seamlessly), or one answer in call-response and continue mode.
 */
export class GenerationFeed {
  private epoch = 0;
  private inFlight = 0;
  /** Music ms where the current phrase ends (call-response answers), or null for no end. */
  private endMs: number | null = null;
  private done = false;
  /** True from begin() until the phrase is played out or cancelled: only then are tokens requested. */
  private active = false;
  /**
   * Leading silence of a call-response answer still to drop, music ms (null once its first note sounded,
   * or outside answers): the bar of silence already separates the answer from the call.
   */
  private leadSilenceLeftMs: number | null = null;

  constructor(
    private readonly generator: TokenGenerator,
    private readonly codec: TokenCodec,
    private readonly decoder: TokenDecoder,
    /** call-response: `<end>` ends the answer. Otherwise the model starts a fresh piece after `<end>`. */
    private readonly endFinishesPhrase: boolean,
  ) {}

  /** End of the generated music so far, music ms. */
  get musicMs(): number {
    return this.decoder.musicMs;
  }

  /** A phrase was begun and is neither played out nor cancelled. */
  get isActive(): boolean {
    return this.active;
  }

  /** The phrase reached its end (its length, or `<end>` in call-response): nothing more is generated. */
  get isDone(): boolean {
    return this.done;
  }

  /** The phrase has a length (an answer in call-response mode). */
  get hasEnd(): boolean {
    return this.endMs !== null;
  }

  set density(value: number) {
    this.decoder.density = value;
  }

  /** True when generator events of `epoch` belong to the current reset. */
  isCurrent(epoch: number): boolean {
    return epoch === this.epoch;
  }

  /**
   * Starts a phrase conditioned on `primer`, lasting `lengthMs` of music (null: no end). An answer
   * (`dropLeadingSilence`) drops the model's silence before its first note, up to its length.
   */
  begin(primer: readonly number[], lengthMs: number | null, dropLeadingSilence: boolean): void {
    this.epoch = this.generator.reset(primer);
    this.inFlight = 0;
    this.decoder.restart(this.decoder.musicMs);
    this.done = false;
    this.active = true;
    this.endMs = lengthMs === null ? null : this.decoder.musicMs + lengthMs;
    this.leadSilenceLeftMs = dropLeadingSilence && lengthMs !== null ? lengthMs : null;
  }

  /** The player cut the phrase off: the generator starts over empty and nothing more is requested. */
  cancel(): void {
    this.epoch = this.generator.reset([]);
    this.inFlight = 0;
    this.active = false;
    this.leadSilenceLeftMs = null;
  }

  /** Playback reached the end of a done phrase. */
  finish(): void {
    this.active = false;
  }

  /** Decodes a batch into note edges; null when it belongs to an earlier reset or no phrase is active. */
  take(ids: readonly number[], epoch: number): NoteEdge[] | null {
    if (epoch !== this.epoch || !this.active) return null;
    this.inFlight = Math.max(0, this.inFlight - ids.length);
    const edges: NoteEdge[] = [];
    for (const id of ids) {
      if (this.done) break;
      if (this.dropsLeadingSilence(id)) continue;
      const decoded = this.decoder.push(id);
      if (this.leadSilenceLeftMs !== null && decoded.some((e) => e.on)) this.leadSilenceLeftMs = null;
      edges.push(...decoded);
      if (this.endMs !== null && this.decoder.musicMs >= this.endMs) {
        this.decoder.endAll(edges);
        this.done = true;
      } else if (this.decoder.isEnded) {
        // Whatever follows <end> in this batch belongs to the finished piece: drop it.
        this.onEndToken();
        break;
      }
    }
    return edges;
  }

  /** Keeps tokens requested while less than `lookaheadMs` of music is buffered. */
  refill(bufferedMs: number, lookaheadMs: number): void {
    if (!this.active || this.done) return;
    if (bufferedMs >= lookaheadMs) return;
    if (this.inFlight >= IN_FLIGHT_TOKENS) return;
    this.generator.request(IN_FLIGHT_TOKENS - this.inFlight);
    this.inFlight = IN_FLIGHT_TOKENS;
  }

  /**
   * True when `id` is a time shift before the first note of a call-response answer, which is dropped: the
   * answer lasts as long as the call from its first note, so a model that opens with more silence than that
   * still answers (the answer would otherwise end before its first note, silent). Drops at most the answer's
   * length of silence, so a model that keeps silent still ends its answer.
   */
  private dropsLeadingSilence(id: number): boolean {
    if (this.leadSilenceLeftMs === null) return false;
    const meaning = this.codec.decode(id);
    if (meaning.kind !== 'time_shift') return false;
    this.leadSilenceLeftMs -= meaning.ms;
    if (this.leadSilenceLeftMs <= 0) this.leadSilenceLeftMs = null;
    return true;
  }

  /** The model ended its piece: call-response ends the answer, the other modes start a fresh piece. */
  private onEndToken(): void {
    if (this.endFinishesPhrase) {
      this.done = true;
      return;
    }
    this.epoch = this.generator.reset(startIds(this.codec));
    this.inFlight = 0;
    this.decoder.restart(this.decoder.musicMs);
  }
}
