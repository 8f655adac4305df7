import { DRUM_PITCHES, PIANO_PITCHES, pianoAndDrumsMidi } from '@music-transformer/test-midi';
import { createVocab, DEFAULT_MIDI_LIMITS, ORIGINAL_WINDOWS, presets } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { type FileTask, fileRows } from './file-rows.js';

const vocab = createVocab();

function task(includeDrums: boolean): FileTask {
  return {
    absPath: '/nowhere/band.mid',
    relPath: 'band.mid',
    seed: 1,
    length: 256,
    windowLength: 200,
    windows: ORIGINAL_WINDOWS,
    transpositions: [0],
    stretches: [1],
    vocab: { ...presets.seed },
    includeDrums,
    limits: { ...DEFAULT_MIDI_LIMITS },
  };
}

/** Pitches with a note-on anywhere in the rows. */
function pitchesOf(rows: Uint16Array): Set<number> {
  const out = new Set<number>();
  for (const id of rows) {
    if (vocab.kindOf(id) === 'note_on') out.add(vocab.valueOf(id));
  }
  return out;
}

describe('fileRows includeDrums', () => {
  it('drops channel-10 notes by default and keeps them, merged with the piano, when asked', () => {
    const bytes = pianoAndDrumsMidi();
    const without = fileRows(bytes, task(false));
    const withDrums = fileRows(bytes, task(true));
    if (!without.ok || !withDrums.ok) throw new Error('fixture should tokenize');
    expect(without.tokens).toBeLessThan(withDrums.tokens);
    const plain = pitchesOf(without.rows);
    const band = pitchesOf(withDrums.rows);
    for (const p of DRUM_PITCHES) {
      expect(plain.has(p)).toBe(false);
      expect(band.has(p)).toBe(true);
    }
    for (const p of PIANO_PITCHES) expect(band.has(p) && plain.has(p)).toBe(true);
  });
});
