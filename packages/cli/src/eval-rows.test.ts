import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { piecesToRows } from './eval-rows.js';

describe('piecesToRows', () => {
  it('cuts each piece into <start>-led rows, ends it with <end> and pads the last row', () => {
    const vocab = createVocab();
    const a = [1, 2, 3, 4, 5];
    const rows = piecesToRows([a, [7]], vocab, 4);
    const { start, end, pad } = vocab;
    expect(Array.from(rows)).toEqual([start, 1, 2, 3, start, 4, 5, end, start, 7, end, pad]);
  });
});
