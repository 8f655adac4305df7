import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { parseHParams } from '../hparams.js';
import { createGenerator, DEFAULT_MAX_TOKENS, GUARD_TOKENS_PER_SECOND, resolveLimits } from './generator.js';
import { RELEASE_TAIL_MS, releaseTail } from './release-tail.js';
import { LENGTH_TOLERANCE_MS } from './session.js';
import { randomWeights } from './test-utils/random-weights.js';

const vocab = createVocab();
const h = parseHParams({ d_model: 32, num_layers: 2, num_heads: 4, d_ff: 64, max_rel_dist: 64 });
const ms = (t: number) => (vocab.kindOf(t) === 'time_shift' ? vocab.valueOf(t) * vocab.stepMs : 0);

/** Random weights with `boost` added to the final bias of some ids, to steer what the model emits. */
function steered(boost: Record<number, number>, options = {}) {
  const weights = randomWeights(h, 13);
  const bias = weights['final.bias']!;
  for (const [id, b] of Object.entries(boost)) bias[Number(id)]! += b;
  return createGenerator({ hparams: h, weights }, options);
}

describe('lengths', () => {
  it('resolves the limits: maxTokens only when given, maxSeconds alone with a runaway guard', () => {
    expect(resolveLimits(undefined, undefined)).toEqual({ maxTokens: DEFAULT_MAX_TOKENS });
    expect(resolveLimits(300, undefined)).toEqual({ maxTokens: 300 });
    expect(resolveLimits(300, 30)).toEqual({ maxTokens: 300, maxSeconds: 30 });
    expect(resolveLimits(undefined, 30)).toEqual({
      maxSeconds: 30,
      guardTokens: 30 * GUARD_TOKENS_PER_SECOND,
    });
    expect(resolveLimits(undefined, 1)).toEqual({ maxSeconds: 1, guardTokens: DEFAULT_MAX_TOKENS });
  });

  it('maxSeconds alone generates that much music, past 1024 tokens and past the context', () => {
    // Short time shifts boosted: about 8-16 ms of music per token, so 20 s needs well over 1024 tokens.
    const slow = steered(
      { [vocab.timeShift(1)]: 12, [vocab.timeShift(2)]: 12, [vocab.end]: -30 },
      { contextLength: 64 },
    );
    const r = slow.generate({ seed: 2, maxSeconds: 20 });
    expect(r.generated.length).toBeGreaterThan(DEFAULT_MAX_TOKENS);
    expect(Math.abs(r.seconds - 20)).toBeLessThanOrEqual(1);
    expect(['maxSeconds', 'end']).toContain(r.stopReason);
    expect(r.seconds).toBeCloseTo(r.generated.reduce((a, t) => a + ms(t), 0) / 1000, 9);
    // The guard: a model that never moves time stops at GUARD_TOKENS_PER_SECOND tokens per second asked.
    const stuck = steered({}).generate({
      seed: 1,
      maxSeconds: 4,
      grammar: false,
      endingRamp: false,
      closeNotes: false,
      stopOnEnd: false,
      temperature: 0.01,
      mode: 'argmax',
    });
    expect(stuck.generated.length).toBeLessThanOrEqual(
      Math.max(DEFAULT_MAX_TOKENS, 4 * GUARD_TOKENS_PER_SECOND),
    );
  });

  it('a time limit holds within a second even for a model eager to end', () => {
    // `<end>` strongly preferred: with only a token limit, pieces end within a few seconds.
    const eager = steered({ [vocab.end]: 6 });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const early = seeds.map((seed) => eager.generate({ seed, maxTokens: 2000 }));
    expect(early.filter((r) => r.stopReason === 'end' && r.seconds < 7).length).toBeGreaterThanOrEqual(6);
    for (const seed of seeds) {
      const r = eager.generate({ seed, maxSeconds: 8 });
      expect(r.seconds).toBeGreaterThanOrEqual(8 - LENGTH_TOLERANCE_MS / 1000);
      expect(r.seconds).toBeLessThanOrEqual(8);
    }
    // It still ends by itself, in the last second, rather than being stopped at the limit.
    const ended = seeds.map((seed) => eager.generate({ seed, maxSeconds: 8 }).stopReason);
    expect(ended.filter((x) => x === 'end').length).toBeGreaterThanOrEqual(6);
  });
});

describe('endings', () => {
  it('releases sounding notes one by one within the tail budget, reproducibly', () => {
    const offs = [60, 64, 67, 72].map((p) => vocab.noteOff(p));
    const a = releaseTail(offs, vocab, createRng(3));
    expect(a).toEqual(releaseTail(offs, vocab, createRng(3)));
    expect(a.filter((t) => vocab.kindOf(t) === 'note_off').sort()).toEqual([...offs].sort());
    expect(vocab.kindOf(a[0]!)).toBe('note_off');
    expect(vocab.kindOf(a.at(-1)!)).toBe('note_off');
    // Staggered: not all at one instant (three time shifts between four notes here).
    expect(a.filter((t) => vocab.kindOf(t) === 'time_shift').length).toBeGreaterThan(1);
    const spread = a.reduce((s, t) => s + ms(t), 0);
    expect(spread).toBeGreaterThan(0);
    expect(spread).toBeLessThanOrEqual(RELEASE_TAIL_MS);
    expect(releaseTail([], vocab, createRng(1))).toEqual([]);
    expect(releaseTail([offs[0]!], vocab, createRng(1))).toEqual([offs[0]]);
    // Many notes in a short budget: several share a step, and the tail still keeps to the budget.
    const many = releaseTail(
      Array.from({ length: 80 }, (_, i) => vocab.noteOff(20 + i)),
      vocab,
      createRng(2),
      100,
    );
    expect(many.filter((t) => vocab.kindOf(t) === 'note_off')).toHaveLength(80);
    expect(many.reduce((s, t) => s + ms(t), 0)).toBeLessThanOrEqual(100);
    expect(many.filter((t) => vocab.kindOf(t) === 'time_shift').length).toBeGreaterThan(3);
  });

  it('the ramp makes the model end by itself before the limit far more often', () => {
    // A model that likes notes and rarely ends: without the ramp it runs to the limit.
    const { note_on, note_off } = vocab.ranges;
    const boost = Object.fromEntries([
      ...Array.from({ length: 12 }, (_, i) => [note_on.first + 55 + i, 3]),
      ...Array.from({ length: 12 }, (_, i) => [note_off.first + 55 + i, 3]),
      [vocab.end, -2],
    ]);
    const g = steered(boost);
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const run = (endingRamp?: false) =>
      seeds.map((seed) =>
        g.generate({ seed, maxTokens: 300, ...(endingRamp === false ? { endingRamp } : {}) }),
      );
    const without = run(false);
    const withRamp = run();
    const ends = (rs: { stopReason: string }[]) => rs.filter((r) => r.stopReason === 'end').length;
    const closed = (rs: { closed: number }[]) => rs.reduce((a, r) => a + r.closed, 0);
    expect(ends(without)).toBeLessThanOrEqual(1);
    expect(ends(withRamp)).toBeGreaterThanOrEqual(5);
    // The notes left for the release tail to close fall by more than ten times.
    expect(closed(withRamp) * 10).toBeLessThan(closed(without));
    // Ends come late: inside the zone, not at the start of the piece.
    for (const r of withRamp.filter((x) => x.stopReason === 'end'))
      expect(r.generated.length).toBeGreaterThan(200);
  });
});

describe('instrument range in generation', () => {
  const low = steered(
    Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [vocab.noteOn(i), 8]).concat(
        Array.from({ length: 19 }, (_, i) => [vocab.noteOn(109 + i), 8]),
      ),
    ),
  );
  const pitches = (tokens: number[]) =>
    tokens.filter((t) => vocab.kindOf(t) === 'note_on').map((t) => vocab.valueOf(t));

  it('never starts a note outside the range, even when the model prefers those notes', () => {
    const raw = low.generate({ seed: 1, maxTokens: 200, grammar: false });
    expect(pitches(raw.generated).filter((p) => p < 21 || p > 108).length).toBeGreaterThan(20);
    const piano = pitches(low.generate({ seed: 1, maxTokens: 200 }).generated);
    expect(piano.length).toBeGreaterThan(10);
    expect(piano.every((p) => p >= 21 && p <= 108)).toBe(true);
    const violin = pitches(low.generate({ seed: 1, maxTokens: 200, pitchRange: 'violin' }).generated);
    expect(violin.every((p) => p >= 55 && p <= 103)).toBe(true);
    const narrow = pitches(
      low.generate({ seed: 1, maxTokens: 200, pitchRange: { low: 60, high: 62 } }).generated,
    );
    expect(new Set(narrow).size).toBeGreaterThan(0);
    expect(narrow.every((p) => p >= 60 && p <= 62)).toBe(true);
    const s = low.session({ seed: 3, pitchRange: '40-50' });
    for (let i = 0; i < 100; i++) s.next();
    expect(pitches([...s.tokens]).every((p) => p >= 40 && p <= 50)).toBe(true);
  });

  it('refuses a range without the grammar, and a bad range, naming it', () => {
    expect(() => low.generate({ grammar: false, pitchRange: 'piano' })).toThrow(
      /pitchRange is part of the grammar/,
    );
    expect(() => low.generate({ pitchRange: '100-20' })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    expect(() => low.session({ pitchRange: 'tuba' })).toThrow(/'tuba' is neither LO-HI/);
  });
});
