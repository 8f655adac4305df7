import type { TokenCodec } from './codec.js';
import type { MidiMessage } from './messages.js';

interface CapturedEdge {
  ms: number;
  on: boolean;
  pitch: number;
  velocity: number;
}

/**
 * Records what the player plays on the input port and turns it into primer tokens for the model, in
 * the vocabulary's order per note-on: [time shifts] [velocity] [note-on]; per note-off: [time shifts]
 * [note-off]. Pitches the vocabulary cannot represent are dropped (their note-off too).
 */
export class PhraseCapture {
  private edges: CapturedEdge[] = [];
  private readonly down = new Set<number>();

  constructor(private readonly codec: TokenCodec) {}

  /** True when nothing has been captured since the last clear. */
  get isEmpty(): boolean {
    return this.edges.length === 0;
  }

  /** True while the player holds at least one key. */
  get isSounding(): boolean {
    return this.down.size > 0;
  }

  /** Clock time of the last captured edge, or null. */
  get lastMs(): number | null {
    return this.edges.at(-1)?.ms ?? null;
  }

  /** Length of the phrase from its first note-on to its last edge, in ms. */
  get durationMs(): number {
    const first = this.edges[0];
    const last = this.edges.at(-1);
    return first && last ? last.ms - first.ms : 0;
  }

  /** Feeds an incoming message; returns true if it was a note of the phrase. */
  handle(message: MidiMessage, ms: number): boolean {
    if (message.type !== 'noteon' && message.type !== 'noteoff') return false;
    const { note } = message;
    if (note < this.codec.minPitch || note > this.codec.maxPitch) return false;
    const on = message.type === 'noteon' && message.velocity > 0;
    if (on) {
      this.down.add(note);
      this.edges.push({ ms, on, pitch: note, velocity: message.velocity });
    } else if (this.down.delete(note)) {
      this.edges.push({ ms, on, pitch: note, velocity: 0 });
    }
    return true;
  }

  /**
   * The phrase as primer tokens (notes still held are closed at the last edge). Time shifts are
   * quantised against the running quantised position, so rounding errors do not add up over a phrase.
   */
  tokens(): number[] {
    const out: number[] = [];
    let cursor: number | null = null;
    const closing = [...this.down].map((pitch) => ({ ms: this.lastMs ?? 0, on: false, pitch, velocity: 0 }));
    for (const e of [...this.edges, ...closing]) {
      if (cursor === null) cursor = e.ms;
      const shift = this.codec.timeShift(e.ms - cursor);
      for (const id of shift) {
        const meaning = this.codec.decode(id);
        if (meaning.kind === 'time_shift') cursor += meaning.ms;
      }
      out.push(...shift);
      if (e.on) out.push(this.codec.velocity(e.velocity), this.codec.noteOn(e.pitch));
      else out.push(this.codec.noteOff(e.pitch));
    }
    return out;
  }

  clear(): void {
    this.edges = [];
    this.down.clear();
  }
}
