// @ts-check
/**
 * A hand-built vocab for tests with the `seed` layout of docs (pad 0, note_on 1..128, note_off 129..256,
 * time_shift 257..381 = 1..125 steps of 8 ms, velocity 382..413, start 414, end 415). It is written out
 * independently of @music-transformer/vocab so the checker's tests do not depend on that package's build;
 * quality.test.mjs also checks the real package agrees with it when it is built.
 */

/** @type {import('./token-analysis.mjs').VocabView & { noteOn(p: number): number, noteOff(p: number): number, timeShift(k: number): number, velocity(b: number): number, start: number, end: number, pad: number }} */
export const seedLikeVocab = {
  size: 416,
  stepMs: 8,
  pad: 0,
  start: 414,
  end: 415,
  noteOn: (p) => 1 + p,
  noteOff: (p) => 129 + p,
  timeShift: (k) => 256 + k,
  velocity: (b) => 382 + b,
  kindOf(id) {
    if (id === 0) return 'pad';
    if (id <= 128) return 'note_on';
    if (id <= 256) return 'note_off';
    if (id <= 381) return 'time_shift';
    if (id <= 413) return 'velocity';
    return id === 414 ? 'start' : 'end';
  },
  valueOf(id) {
    if (id >= 1 && id <= 128) return id - 1;
    if (id >= 129 && id <= 256) return id - 129;
    if (id >= 257 && id <= 381) return id - 256;
    if (id >= 382 && id <= 413) return id - 382;
    return 0;
  },
};
