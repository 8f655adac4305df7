import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { endNotBefore, musicGrammar, NoteTracker } from './grammar.js';

const vocab = createVocab();
const NEG = Number.NEGATIVE_INFINITY;

describe('NoteTracker', () => {
  it('follows note-ons and note-offs one token at a time and lists the note-offs that close the rest', () => {
    const t = new NoteTracker(vocab.ranges);
    t.reset([vocab.start, vocab.velocity(3), vocab.noteOn(60), vocab.noteOn(64), vocab.timeShift(10)]);
    expect(t.openCount).toBe(2);
    t.observe(vocab.noteOff(60));
    t.observe(vocab.noteOff(61)); // a stray note-off changes nothing
    t.observe(vocab.noteOn(64)); // a repeated note-on keeps the pitch sounding once
    expect(t.openCount).toBe(1);
    t.observe(vocab.noteOn(21));
    expect(t.closingNoteOffs()).toEqual([vocab.noteOff(21), vocab.noteOff(64)]);
    t.reset();
    expect([t.openCount, t.closingNoteOffs()]).toEqual([0, []]);
  });

  it('refuses note ranges of different sizes', () => {
    const ranges = { note_on: { first: 1, count: 128 }, note_off: { first: 129, count: 127 } };
    expect(() => new NoteTracker(ranges)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

describe('musicGrammar', () => {
  it('masks note-offs of silent pitches, note-ons of sounding ones and <end> while a note sounds', () => {
    const t = new NoteTracker(vocab.ranges);
    t.reset([vocab.noteOn(60)]);
    const logits = new Float32Array(vocab.size).fill(1);
    const out = musicGrammar(t, vocab.end)(logits, []);
    expect(logits.every((x) => x === 1)).toBe(true); // input untouched
    expect(out[vocab.noteOn(60)]).toBe(NEG);
    expect(out[vocab.noteOff(60)]).toBe(1);
    expect(out[vocab.noteOn(61)]).toBe(1);
    expect(out[vocab.noteOff(61)]).toBe(NEG);
    expect(out[vocab.end]).toBe(NEG);
    expect(out[vocab.timeShift(5)]).toBe(1);
    expect(out[vocab.velocity(5)]).toBe(1);
    t.observe(vocab.noteOff(60));
    const after = musicGrammar(t, vocab.end)(logits, []);
    expect([after[vocab.end], after[vocab.noteOff(60)], after[vocab.noteOn(60)]]).toEqual([1, NEG, 1]);
  });
});

describe('endNotBefore', () => {
  it('masks <end> until the condition holds, then passes the logits through', () => {
    let ok = false;
    const p = endNotBefore(vocab.end, () => ok);
    const logits = new Float32Array(vocab.size).fill(2);
    expect(p(logits, [])[vocab.end]).toBe(NEG);
    ok = true;
    expect(p(logits, [])[vocab.end]).toBe(2);
  });
});
