import type { Vocab } from './vocab.js';

/**
 * Drops the note-offs of pitches not sounding at that point of `tokens` (every other id is kept, time
 * shifts included, so timing is unchanged). A window cut from the middle of a piece starts with the
 * note-offs of notes struck before it; training on them teaches the model to release notes it never
 * started (the original's windows; 2.2 % of the default model's training events). Repeated note-offs of one
 * pitch (the seed encoder's deferred pedal releases) are dropped after the first for the same reason.
 * Returns `tokens` itself when nothing is dropped, else a new array.
 */
export function dropStrayNoteOffs(tokens: Uint16Array, vocab: Vocab): Uint16Array {
  const on = vocab.ranges.note_on;
  const off = vocab.ranges.note_off;
  const sounding = new Uint8Array(on.count);
  const keep = new Uint8Array(tokens.length).fill(1);
  let dropped = 0;
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (id >= on.first && id < on.first + on.count) {
      sounding[id - on.first] = 1;
    } else if (id >= off.first && id < off.first + off.count) {
      if (sounding[id - off.first] === 1) sounding[id - off.first] = 0;
      else {
        keep[i] = 0;
        dropped++;
      }
    }
  }
  if (dropped === 0) return tokens;
  const out = new Uint16Array(tokens.length - dropped);
  let j = 0;
  for (let i = 0; i < tokens.length; i++) if (keep[i] === 1) out[j++] = tokens[i]!;
  return out;
}
