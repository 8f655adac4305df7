import { createVocab, presets } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { musicGrammar, NoteTracker } from './grammar.js';
import { DEFAULT_PITCH_RANGE, INSTRUMENT_RANGES, noteOnsOutside, parsePitchRange } from './pitch-range.js';

const vocab = createVocab();

describe('pitch ranges', () => {
  it('reads LO-HI and instrument names, and refuses anything else with one clear message', () => {
    expect(parsePitchRange('21-108')).toEqual({ low: 21, high: 108 });
    expect(parsePitchRange(' 40 - 88 ')).toEqual({ low: 40, high: 88 });
    expect(parsePitchRange('Violin')).toEqual(INSTRUMENT_RANGES.violin);
    expect(parsePitchRange({ low: 60, high: 60 })).toEqual({ low: 60, high: 60 });
    expect(DEFAULT_PITCH_RANGE).toEqual({ low: 21, high: 108 });
    expect(() => parsePitchRange('90-30')).toThrow(
      /pitch range '90-30' must have MIDI pitches 0 <= low <= high <= 127/,
    );
    expect(() => parsePitchRange('0-128')).toThrow(/0-128/);
    expect(() => parsePitchRange('kazoo')).toThrow(
      /'kazoo' is neither LO-HI \(e.g. 21-108\) nor an instrument \(piano,/,
    );
    expect(() => parsePitchRange({ low: 1.5, high: 3 })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
  });

  it('lists exactly the note-ons outside the range, for vocabularies that start at any pitch', () => {
    const ids = noteOnsOutside({ low: 21, high: 108 }, vocab.ranges.note_on, 0);
    expect(ids).toHaveLength(128 - 88);
    expect(ids).toContain(vocab.noteOn(20));
    expect(ids).toContain(vocab.noteOn(109));
    expect(ids).not.toContain(vocab.noteOn(21));
    expect(ids).not.toContain(vocab.noteOn(108));
    const narrow = createVocab({ ...presets.seed, minPitch: 30, maxPitch: 90 });
    const out = noteOnsOutside({ low: 40, high: 50 }, narrow.ranges.note_on, 30);
    expect(out).toContain(narrow.noteOn(39));
    expect(out).not.toContain(narrow.noteOn(40));
    expect(out).toHaveLength(61 - 11);
    expect(() => noteOnsOutside({ low: 100, high: 120 }, narrow.ranges.note_on, 30)).toThrow(
      /pitch range 100-120 leaves no note of the vocabulary \(30-90\)/,
    );
  });

  it('is part of the grammar: out-of-range note-ons are masked, their note-offs stay possible', () => {
    const tracker = new NoteTracker(vocab.ranges);
    tracker.reset([vocab.noteOn(15)]); // a primer may hold a note below the piano
    const mask = musicGrammar(
      tracker,
      vocab.end,
      noteOnsOutside(DEFAULT_PITCH_RANGE, vocab.ranges.note_on, 0),
    );
    const out = mask(new Float32Array(vocab.size), []);
    expect(out[vocab.noteOn(20)]).toBe(Number.NEGATIVE_INFINITY);
    expect(out[vocab.noteOn(109)]).toBe(Number.NEGATIVE_INFINITY);
    expect(out[vocab.noteOn(21)]).toBe(0);
    expect(out[vocab.noteOff(15)]).toBe(0);
  });
});
