import { hparamPresets } from '@music-transformer/model';
import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { createTokenSource, randomWeights } from './model-source.js';
import type { TokenSource } from './token-source.js';

const vocab = createVocab();

/**
 * Untrained weights pushed towards <end> and long time shifts, away from note-ons (the music grammar holds
 * <end> back while a note sounds, which would hide the rule tested): left alone, the model ends at once.
 */
function endingWeights(): Record<string, Float32Array> {
  const weights = randomWeights(hparamPresets.tiny, 13);
  const bias = weights['final.bias']!;
  const boost = (id: number, by: number) => {
    bias[id] = (bias[id] ?? 0) + by;
  };
  boost(vocab.end, 8);
  boost(vocab.timeShift(50), 4);
  for (let id = 0; id < vocab.size; id++) if (vocab.kindOf(id) === 'note_on') boost(id, -20);
  return weights;
}

/** Samples until <end> (or `limit` tokens) and returns the music ms generated before it. */
function msUntilEnd(source: TokenSource, limit = 5000): number {
  let ms = 0;
  for (let i = 0; i < limit; i++) {
    const id = source.next();
    if (id === vocab.end) return ms;
    if (vocab.kindOf(id) === 'time_shift') ms += vocab.valueOf(id) * vocab.stepMs;
  }
  throw new Error(`no <end> within ${limit} tokens`);
}

describe('model token source', () => {
  it('ends a piece no sooner than minSeconds, counted again from every reset', () => {
    const options = { hparams: hparamPresets.tiny, weights: endingWeights(), seed: 5 };
    const free = createTokenSource(options);
    free.reset([vocab.start]);
    expect(msUntilEnd(free)).toBeLessThan(3000);

    const floored = createTokenSource({ ...options, minSeconds: 3 });
    for (let piece = 0; piece < 3; piece++) {
      // The bridge resets with <start> after each <end>: the new piece gets the same floor.
      floored.reset([vocab.start]);
      expect(msUntilEnd(floored)).toBeGreaterThanOrEqual(3000);
    }
  });

  it('ends every piece by its per-piece maxSeconds, released, and counts again from each reset', () => {
    // Untrained weights that never end by themselves and keep notes going: only the limit ends a piece.
    const weights = randomWeights(hparamPresets.tiny, 4);
    weights['final.bias']![vocab.end]! -= 30;
    const source = createTokenSource({ hparams: hparamPresets.tiny, weights, seed: 3, maxSeconds: 2 });
    for (let piece = 0; piece < 3; piece++) {
      source.reset([vocab.start]);
      const ms = msUntilEnd(source);
      expect(ms).toBeLessThanOrEqual(2000);
      expect(ms).toBeGreaterThan(1000);
      // Nothing is left sounding when <end> comes: the release tail closed it.
      const sounding = new Set<number>();
      for (const id of Array.from(source.tokens)) {
        if (vocab.kindOf(id) === 'note_on') sounding.add(vocab.valueOf(id));
        if (vocab.kindOf(id) === 'note_off') sounding.delete(vocab.valueOf(id));
      }
      expect(sounding.size).toBe(0);
    }
  });

  it('keeps notes inside pitchRange', () => {
    const source = createTokenSource({
      hparams: hparamPresets.tiny,
      randomSeed: 2,
      seed: 1,
      pitchRange: '60-64',
      maxTokens: 300,
    });
    source.reset([vocab.start]);
    const pitches: number[] = [];
    for (let i = 0; i < 300; i++) {
      const id = source.next();
      if (id === vocab.end) break;
      if (vocab.kindOf(id) === 'note_on') pitches.push(vocab.valueOf(id));
    }
    expect(pitches.length).toBeGreaterThan(0);
    expect(pitches.every((p) => p >= 60 && p <= 64)).toBe(true);
  });
});
