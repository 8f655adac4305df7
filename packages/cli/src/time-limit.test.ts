import { createVocab, tokensToNotes } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { clipToSeconds } from './time-limit.js';

const vocab = createVocab(); // seed preset: 8 ms steps, shifts of 1..125 steps

describe('clipToSeconds', () => {
  it('shortens the shift that crosses the limit; after it keeps only note-offs of sounding notes', () => {
    const tokens = [
      vocab.noteOn(60),
      vocab.timeShift(125),
      vocab.timeShift(125),
      vocab.noteOff(61), // not sounding: dropped
      vocab.noteOn(62), // starts after the limit: dropped
      vocab.noteOff(62),
      vocab.noteOff(60), // sounding at the limit: closed there
    ];
    // 1.5 s = 187 steps (187.5 rounded down): 125 + 62.
    expect(clipToSeconds(tokens, vocab, 1.5)).toEqual([
      vocab.noteOn(60),
      vocab.timeShift(125),
      vocab.timeShift(62),
      vocab.noteOff(60),
    ]);
  });

  it('keeps sequences that fit, and the decoded notes end by the limit', () => {
    const tokens = [vocab.noteOn(60), vocab.timeShift(50), vocab.noteOff(60)];
    expect(clipToSeconds(tokens, vocab, 10)).toEqual(tokens);
    const long = [vocab.noteOn(60), ...Array.from({ length: 10 }, () => vocab.timeShift(125))];
    const { notes } = tokensToNotes(clipToSeconds(long, vocab, 2.5), { vocab, maxNoteSeconds: 60 });
    const end = Math.max(...notes.map((n) => n.end));
    expect(end).toBeLessThanOrEqual(2.5);
    expect(end).toBeGreaterThan(2.4);
  });
});
