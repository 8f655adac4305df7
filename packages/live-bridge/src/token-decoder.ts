import type { TokenCodec } from './codec.js';
import type { Rng } from './rng.js';

/** One note edge in music time (ms since the start of the generated stream, at the model's own tempo). */
export interface NoteEdge {
  musicMs: number;
  on: boolean;
  pitch: number;
  velocity: number;
}

export interface DecoderOptions {
  /** A note longer than this is ended here (Performance RNN's rule; avoids notes hanging forever). */
  maxNoteMs: number;
  /** Fraction of generated notes that are played (1 = all); thinned notes are dropped whole. */
  density: number;
  /** Draws for the density thinning. */
  rng: Rng;
  /** Velocity of notes before any velocity token. */
  defaultVelocity: number;
}

/**
 * Turns generated token ids into note edges, one id at a time, as they arrive from the worker.
 * Musical rules applied (and deliberately not the original's decoding quirks, see docs/original-project.md):
 * velocity tokens are sticky (the original resets velocity to 0 after every note, silencing notes);
 * a note-on of a sounding pitch first ends it (so every on has exactly one off); a note-off of a
 * pitch that is not sounding is ignored; notes longer than `maxNoteMs` are ended.
 */
export class TokenDecoder {
  private cursor = 0;
  private velocity: number;
  private ended = false;
  /** Sounding pitch -> music ms it started at. */
  private readonly sounding = new Map<number, number>();
  /** Pitches whose note-on was thinned out, so their note-off is dropped too. */
  private readonly thinned = new Set<number>();

  constructor(
    private readonly codec: TokenCodec,
    private readonly options: DecoderOptions,
  ) {
    this.velocity = options.defaultVelocity;
  }

  /** Music time reached so far (the end of what has been generated), in ms. */
  get musicMs(): number {
    return this.cursor;
  }

  /** True once the end token was decoded. */
  get isEnded(): boolean {
    return this.ended;
  }

  set density(value: number) {
    this.options.density = value;
  }

  /** Decodes one id; returns the note edges it causes, in time order. */
  push(id: number): NoteEdge[] {
    if (this.ended) return [];
    const meaning = this.codec.decode(id);
    const out: NoteEdge[] = [];
    switch (meaning.kind) {
      case 'time_shift':
        this.advance(this.cursor + meaning.ms, out);
        break;
      case 'velocity':
        this.velocity = meaning.velocity;
        break;
      case 'note_on': {
        const { pitch } = meaning;
        if (this.sounding.has(pitch)) this.end(pitch, this.cursor, out);
        if (this.options.density < 1 && this.options.rng.next() >= this.options.density) {
          this.thinned.add(pitch);
          break;
        }
        this.thinned.delete(pitch);
        if (this.velocity <= 0) break;
        this.sounding.set(pitch, this.cursor);
        out.push({ musicMs: this.cursor, on: true, pitch, velocity: this.velocity });
        break;
      }
      case 'note_off':
        if (this.sounding.has(meaning.pitch)) this.end(meaning.pitch, this.cursor, out);
        this.thinned.delete(meaning.pitch);
        break;
      case 'end':
        this.ended = true;
        this.endAll(out);
        break;
      case 'none':
        break;
    }
    return out;
  }

  /** Ends every sounding note at the current music time (used when a phrase is cut off). */
  endAll(out: NoteEdge[] = []): NoteEdge[] {
    for (const pitch of [...this.sounding.keys()]) this.end(pitch, this.cursor, out);
    return out;
  }

  /** Restarts decoding at music time `musicMs` (a new phrase), with nothing sounding. */
  restart(musicMs: number): void {
    this.cursor = musicMs;
    this.sounding.clear();
    this.thinned.clear();
    this.ended = false;
  }

  private advance(to: number, out: NoteEdge[]): void {
    // End notes whose maximum length falls inside the shift, at their exact limit, in time order.
    // Runs on the scheduling thread for every time shift, so it allocates only when a note expires.
    let expiring: Array<{ pitch: number; at: number }> | null = null;
    for (const [pitch, start] of this.sounding) {
      const at = start + this.options.maxNoteMs;
      if (at > to) continue;
      expiring ??= [];
      expiring.push({ pitch, at });
    }
    if (expiring) {
      expiring.sort((a, b) => a.at - b.at);
      for (const n of expiring) this.end(n.pitch, n.at, out);
    }
    this.cursor = to;
  }

  private end(pitch: number, at: number, out: NoteEdge[]): void {
    this.sounding.delete(pitch);
    out.push({ musicMs: at, on: false, pitch, velocity: 0 });
  }
}
