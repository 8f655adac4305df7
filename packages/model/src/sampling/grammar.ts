import { ModelError } from '../errors.js';
import type { LogitsProcessor } from './types.js';

/** The note-on and note-off id ranges of a vocabulary (`Vocab.ranges` satisfies it): id first + i is pitch i. */
export interface NoteRanges {
  readonly note_on: { readonly first: number; readonly count: number };
  readonly note_off: { readonly first: number; readonly count: number };
}

/**
 * Which pitches are sounding after a token stream, updated one token at a time (O(1) per token), so the
 * grammar processor never rescans the history. A note-on makes its pitch sound, a note-off silences it;
 * every other id leaves the set unchanged. This is the rule scripts/quality/check-samples.mjs measures.
 */
export class NoteTracker {
  private readonly sounding: Uint8Array;
  private open = 0;

  constructor(readonly ranges: NoteRanges) {
    if (ranges.note_on.count !== ranges.note_off.count) {
      throw new ModelError(
        'BAD_INPUT',
        `vocab: ${ranges.note_on.count} note-on ids but ${ranges.note_off.count} note-off ids`,
      );
    }
    this.sounding = new Uint8Array(ranges.note_on.count);
  }

  /** Forgets everything, then observes `ids` in order. */
  reset(ids: ArrayLike<number> = []): void {
    this.sounding.fill(0);
    this.open = 0;
    for (let i = 0; i < ids.length; i++) this.observe(ids[i]!);
  }

  /** Updates the sounding set with one token. */
  observe(id: number): void {
    const on = id - this.ranges.note_on.first;
    if (on >= 0 && on < this.sounding.length) {
      if (this.sounding[on] === 0) this.open++;
      this.sounding[on] = 1;
      return;
    }
    const off = id - this.ranges.note_off.first;
    if (off >= 0 && off < this.sounding.length) {
      if (this.sounding[off] === 1) this.open--;
      this.sounding[off] = 0;
    }
  }

  /** Number of pitches sounding now. */
  get openCount(): number {
    return this.open;
  }

  /** True when the pitch at index `i` of the note ranges (pitch minPitch + i) is sounding. */
  isSounding(i: number): boolean {
    return this.sounding[i] === 1;
  }

  /** Note-off ids that silence every sounding pitch, lowest pitch first. */
  closingNoteOffs(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.sounding.length; i++) {
      if (this.sounding[i] === 1) out.push(this.ranges.note_off.first + i);
    }
    return out;
  }
}

/**
 * The music grammar as a logits mask, reading the tracker's state (it never changes it; the session
 * updates the tracker as tokens are appended): a note-off only for a sounding pitch, a note-on only for a
 * silent one, no note-on outside the instrument's range (`outOfRange`: the note-on ids `noteOnsOutside`
 * lists), and `<end>` only once nothing sounds, so a piece that stops by itself leaves no note open.
 * Time shifts and velocities are never masked, so at least one id always stays possible.
 */
export const musicGrammar =
  (tracker: NoteTracker, end: number, outOfRange: readonly number[] = []): LogitsProcessor =>
  (logits) => {
    const out = logits.slice();
    for (const id of outOfRange) out[id] = Number.NEGATIVE_INFINITY;
    const onFirst = tracker.ranges.note_on.first;
    const offFirst = tracker.ranges.note_off.first;
    const n = tracker.ranges.note_on.count;
    for (let i = 0; i < n; i++) {
      if (tracker.isSounding(i)) out[onFirst + i] = Number.NEGATIVE_INFINITY;
      else out[offFirst + i] = Number.NEGATIVE_INFINITY;
    }
    if (tracker.openCount > 0) out[end] = Number.NEGATIVE_INFINITY;
    return out;
  };

/**
 * Suppresses `<end>` while `allowed()` is false: how `minTokens` / `minSeconds` keep a piece from stopping
 * before it has begun. `allowed` reads the session's counters, so the check is O(1) per token.
 */
export const endNotBefore =
  (end: number, allowed: () => boolean): LogitsProcessor =>
  (logits) => {
    if (allowed()) return logits;
    const out = logits.slice();
    out[end] = Number.NEGATIVE_INFINITY;
    return out;
  };
