import { describe, expect, it } from 'vitest';
import { pitchLabels, pitchName } from './pitch-axis.js';

describe('pitch axis', () => {
  it('names pitches in scientific notation', () => {
    expect(pitchName(60)).toBe('C4');
    expect(pitchName(69)).toBe('A4');
    expect(pitchName(21)).toBe('A0');
    expect(pitchName(0)).toBe('C-1');
    expect(pitchName(127)).toBe('G9');
    expect(pitchName(61)).toBe('C♯4');
  });

  it('labels only the Cs when rows are short, at the centre of their rows', () => {
    // 48..72 in 250 px: 25 rows of 10 px.
    const labels = pitchLabels(48, 72, 250);
    expect(labels.map((l) => l.name)).toEqual(['C5', 'C4', 'C3']);
    expect(labels.map((l) => l.y)).toEqual([5, 125, 245]);
  });

  it('labels every pitch when rows are tall enough', () => {
    const labels = pitchLabels(60, 64, 100);
    expect(labels.map((l) => l.name)).toEqual(['E4', 'D♯4', 'D4', 'C♯4', 'C4']);
    expect(labels[0]?.y).toBe(10);
  });
});
