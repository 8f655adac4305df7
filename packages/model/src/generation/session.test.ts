import { createRng, createVocab, presets } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { parseHParams } from '../hparams.js';
import { MusicTransformer } from '../model.js';
import { tf } from '../tf.js';
import { createGenerator } from './generator.js';
import { randomWeights } from './test-utils/random-weights.js';

const vocab = createVocab();
const h = parseHParams({ d_model: 32, num_layers: 2, num_heads: 4, d_ff: 64, max_rel_dist: 64 });

/** Random weights with `boost` added to the final bias of some ids, to steer what the model emits. */
function steered(boost: Record<number, number>) {
  const weights = randomWeights(h, 13);
  const bias = weights['final.bias']!;
  for (const [id, b] of Object.entries(boost)) bias[Number(id)]! += b;
  return createGenerator({ hparams: h, weights });
}

describe('generate', () => {
  const plain = steered({});
  /** Steered towards time shifts, so the music runs fast and a maxSeconds stop comes early. */
  const hurried = () => {
    const { first, count } = vocab.ranges.time_shift;
    return steered(Object.fromEntries(Array.from({ length: count }, (_, k) => [first + k, 6])));
  };
  /** How far a token moves the music on, in ms (0 for anything but a time shift). */
  const ms = (t: number) => (vocab.kindOf(t) === 'time_shift' ? vocab.valueOf(t) * vocab.stepMs : 0);

  it('gives the same tokens for the same seed and different ones for another seed', () => {
    const a = plain.generate({ seed: 3, maxTokens: 60 });
    expect(plain.generate({ seed: 3, maxTokens: 60 })).toEqual(a);
    expect(plain.generate({ seed: 4, maxTokens: 60 }).tokens).not.toEqual(a.tokens);
    // A time shift in the last 2 % (here token 59) may end the piece one token early.
    expect(a.generated.length - a.tail).toBeGreaterThanOrEqual(59);
    expect(a.generated.length - a.tail).toBeLessThanOrEqual(60);
    expect(a.tokens).toEqual([vocab.start, ...a.generated]);
    expect(a.stopReason).toBe('maxTokens');
  });

  it('continues a primer and reports each generated token', () => {
    const primer = [vocab.velocity(20), vocab.noteOn(60), vocab.timeShift(50), vocab.noteOff(60)];
    const seen: Array<[number, number]> = [];
    const r = plain.generate({ primer, maxTokens: 12, seed: 1, onToken: (t, i) => seen.push([t, i]) });
    expect(r.tokens.slice(0, 5)).toEqual([vocab.start, ...primer]);
    // onToken reports sampled tokens only, not the release tail at the stop.
    const sampled = r.generated.length - r.tail;
    expect(r.generated).toEqual([...seen.map(([t]) => t), ...r.generated.slice(sampled)]);
    expect(sampled).toBeLessThanOrEqual(12);
    expect(seen.map(([, i]) => i)).toEqual([...Array(sampled).keys()]);
  });

  it('stops on <end> without including it, unless told not to', () => {
    const ending = steered({ [vocab.end]: 40 });
    expect(ending.generate({ seed: 1 })).toMatchObject({
      generated: [],
      tokens: [vocab.start],
      stopReason: 'end',
    });
    const r = ending.generate({ seed: 1, stopOnEnd: false, maxTokens: 3 });
    expect(r.generated).toEqual([vocab.end, vocab.end, vocab.end]);
  });

  it('never emits <pad>, nor <start> after the first position, even when the model prefers them', () => {
    const r = steered({ [vocab.pad]: 40, [vocab.start]: 40 }).generate({
      seed: 2,
      maxTokens: 200,
      stopOnEnd: false,
    });
    expect(r.generated.length - r.tail).toBeLessThanOrEqual(200);
    expect(r.generated.length - r.tail).toBeGreaterThan(150);
    expect(r.generated.filter((t) => t === vocab.pad || t === vocab.start)).toEqual([]);
  });

  it('stops once the generated time shifts reach maxSeconds', () => {
    const r = hurried().generate({ seed: 5, maxSeconds: 3 });
    expect(r.stopReason).toBe('maxSeconds');
    const all = r.generated.reduce((a, t) => a + ms(t), 0);
    expect(r.seconds).toBeCloseTo(all / 1000, 9);
    // Sampling stops on the limit less the room kept for the release tail (a tenth of 3 s, in whole
    // 8 ms steps: 296 ms); the shift that crossed it was shortened to land there. The tail fits in.
    const sampled = r.generated.slice(0, r.generated.length - r.tail);
    expect(sampled.reduce((a, t) => a + ms(t), 0)).toBe(3000 - 296);
    expect(ms(sampled.at(-1)!)).toBeGreaterThan(0);
    expect(all).toBeLessThanOrEqual(3000);
  });

  it('lands on a maxSeconds that is not a whole number of steps at the last whole step below it', () => {
    const r = hurried().generate({ seed: 5, maxSeconds: 1.5 });
    expect(r.stopReason).toBe('maxSeconds');
    const sampled = r.generated.slice(0, r.generated.length - r.tail);
    // 1,500 ms / 8 ms = 187.5 steps: the limit is 187 steps, less 18 steps (a tenth) for the tail.
    expect(sampled.reduce((a, t) => a + ms(t), 0)).toBe((187 - 18) * vocab.stepMs);
    expect(r.seconds * 1000).toBeLessThanOrEqual(187 * vocab.stepMs + 1e-6);
  });

  it('gives the same tokens on the SIMD and the plain-JS kernels', () => {
    const weights = randomWeights(h, 13);
    const js = createGenerator({ hparams: h, weights }, { kernels: 'js' });
    expect([js.kernels, plain.kernels]).toEqual(['js', 'simd']);
    expect(js.generate({ seed: 7, maxTokens: 150 })).toEqual(plain.generate({ seed: 7, maxTokens: 150 }));
  });

  it('falls back to the JS kernels for shapes the SIMD kernels do not cover, and says so when SIMD is forced', () => {
    const odd = parseHParams({ ...h, d_model: 30, num_heads: 3, d_ff: 62 });
    const weights = randomWeights(odd, 3);
    expect(createGenerator({ hparams: odd, weights }).kernels).toBe('js');
    expect(() => createGenerator({ hparams: odd, weights }, { kernels: 'simd' })).toThrow(
      expect.objectContaining({ code: 'BACKEND_UNAVAILABLE' }),
    );
    expect(
      createGenerator({ hparams: odd, weights }).generate({ seed: 1, maxTokens: 20 }).tokens.length,
    ).toBeGreaterThan(0);
  });

  it('argmax mode ignores the seed', () => {
    const a = plain.generate({ mode: 'argmax', seed: 1, maxTokens: 30 });
    expect(plain.generate({ mode: 'argmax', seed: 2, maxTokens: 30 })).toEqual(a);
  });

  it.each([
    [{ maxTokens: 0 }, /maxTokens must be an integer >= 1, got 0/],
    [{ maxSeconds: -1 }, /maxSeconds must be > 0, got -1/],
    [{ temperature: 0 }, /temperature must be a finite number > 0/],
    [{ topP: 2 }, /topP/],
    [{ max_tokens: 5 }, /unknown generate option 'max_tokens'/],
    [{ primer: [vocab.noteOn(60), vocab.pad] }, /primer\[1\] is <pad>/],
    [{ primer: [vocab.noteOn(60), vocab.start] }, /primer\[1\] is <start>/],
    [{ primer: [416] }, /primer\[0\] = 416 is not a token id in \[0, 416\)/],
  ])('refuses %o with a BAD_INPUT error', (options, message) => {
    expect(() => plain.generate(options as never)).toThrow(message);
    expect(() => plain.generate(options as never)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('refuses a vocabulary or context that does not fit the model', () => {
    const weights = randomWeights(h, 1);
    const perfRnn = createVocab(presets['performance-rnn']);
    expect(() => createGenerator({ hparams: h, weights }, { vocab: perfRnn })).toThrow(
      new RegExp(`vocab has ${perfRnn.size} ids but the model's vocab_size is 416`),
    );
    expect(() => createGenerator({ hparams: h, weights }, { windowKeep: 65 })).toThrow(
      /windowKeep must be an integer in \[2, contextLength = 64\]/,
    );
    const abs = parseHParams({ ...h, max_abs_position: 100 });
    expect(() => createGenerator({ hparams: abs, weights }, { contextLength: 101 })).toThrow(
      /exceeds max_abs_position 100/,
    );
  });
});

describe('README example', () => {
  it('runs as printed in the Generation section', async () => {
    const { initBackend, hparamPresets } = await import('../index.js');
    // --- README example (keep in sync with packages/model/README.md, section Generation) ---
    await initBackend('cpu'); // only MusicTransformer.create needs a tf backend; generation does not
    const vocab = createVocab();
    const model = MusicTransformer.create(hparamPresets.tiny, 1); // or loadModel(bytes)
    const generator = createGenerator(model, { vocab });
    const primer = [vocab.velocity(20), vocab.noteOn(60), vocab.timeShift(50), vocab.noteOff(60)];
    const result = generator.generate({ primer, maxTokens: 200, maxSeconds: 30, topP: 0.95, seed: 1 });
    console.log(result.stopReason, result.generated.length, `${result.seconds} s`);
    const live = generator.session({ primer, seed: 2, sampling: { topK: 40 } }); // what the live bridge drives
    const next = live.next(); // one token id; live.setSampling({ temperature: 1.1 }) applies from the next one
    // --- end of README example ---
    expect(result.tokens.slice(0, 5)).toEqual([vocab.start, ...primer]);
    expect(next).toBe(live.tokens.at(-1));
    model.dispose();
  });
});

describe('GenerationSession', () => {
  const generator = steered({});

  it('produces what generate produces for the same seed, one token per next()', () => {
    const s = generator.session({ seed: 8, sampling: { topK: 20 } });
    const tokens = Array.from({ length: 40 }, () => s.next());
    // Without limits the session never steers; generate's ramp is switched off so both sample alike.
    const g = generator.generate({ seed: 8, topK: 20, maxTokens: 41, endingRamp: false, closeNotes: false });
    expect(g.generated.slice(0, 40)).toEqual(tokens);
    expect(s.tokens).toEqual([vocab.start, ...tokens]);
    expect(s.generated).toBe(40);
  });

  it('applies setSampling from the next token on and validates it', () => {
    const s = generator.session({ seed: 8, grammar: false }); // raw argmax, no note masks
    s.next();
    s.setSampling({ mode: 'argmax' });
    const logits = s.nextLogits();
    const expected = logits.indexOf(
      Math.max(...logits.filter((_, i) => i !== vocab.pad && i !== vocab.start)),
    );
    expect(s.next()).toBe(expected);
    expect(s.samplingConfig).toMatchObject({ mode: 'argmax', temperature: 1 });
    expect(() => s.setSampling({ topK: -3 })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('reset starts over from a new primer; append feeds outside tokens as context', () => {
    const s = generator.session({ rng: createRng(1) });
    for (let i = 0; i < 10; i++) s.next();
    const primer = [vocab.noteOn(64), vocab.timeShift(10)];
    s.reset(primer);
    expect(s.tokens).toEqual([vocab.start, ...primer]);
    expect(s.generated).toBe(0);
    const fresh = generator.session({ primer });
    expect(s.nextLogits()).toEqual(fresh.nextLogits());
    s.append([vocab.noteOff(64)]);
    fresh.reset([...primer, vocab.noteOff(64)]);
    expect(s.nextLogits()).toEqual(fresh.nextLogits());
    expect(() => s.append([vocab.start])).toThrow(
      /append\[0\] is <start> \(414\): <start> may only be the first token/,
    );
    expect(() => s.append([vocab.noteOn(60), vocab.end])).toThrow(/append\[1\] is <end>/);
  });

  it('leaks no tensors and keeps tf.memory() stable over 500 tokens from a MusicTransformer', () => {
    const model = MusicTransformer.fromWeights(h, randomWeights(h, 2));
    const before = tf.memory().numTensors;
    const s = createGenerator(model, { contextLength: 128 }).session({ seed: 1 });
    for (let i = 0; i < 250; i++) s.next();
    const mid = tf.memory();
    for (let i = 0; i < 250; i++) s.next();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.memory().numBytes).toBe(mid.numBytes);
    expect(s.generated).toBe(500); // 500 tokens through a 128-position context: the window slid several times
    model.dispose();
  });
});

/** Counts what scripts/quality/check-samples.mjs calls ill-formed: stray note-offs, repeated note-ons, open notes. */
function illFormed(tokens: readonly number[]): number {
  const sounding = new Set<number>();
  let bad = 0;
  for (const t of tokens) {
    const kind = vocab.kindOf(t);
    if (kind === 'note_on') {
      if (sounding.has(vocab.valueOf(t))) bad++;
      sounding.add(vocab.valueOf(t));
    } else if (kind === 'note_off') {
      if (!sounding.delete(vocab.valueOf(t))) bad++;
    }
  }
  return bad + sounding.size;
}

describe('music grammar and length rules', () => {
  // Note events boosted so a random model emits many of them, mostly ill-formed without the grammar.
  const { note_on, note_off } = vocab.ranges;
  const noteBoost = Object.fromEntries([
    ...Array.from({ length: 6 }, (_, i) => [note_on.first + 39 + i, 5]),
    ...Array.from({ length: 6 }, (_, i) => [note_off.first + 39 + i, 5]),
  ]);
  const notes = steered(noteBoost);

  it('samples only well-formed note events and closes the notes still sounding at the stop', () => {
    const raw = notes.generate({ seed: 3, maxTokens: 300, grammar: false, closeNotes: false });
    expect(illFormed(raw.tokens)).toBeGreaterThan(30); // the test can fail: the raw model is ill-formed
    expect(raw.closed).toBe(0);
    for (const seed of [1, 2, 3]) {
      const r = notes.generate({ seed, maxTokens: 300, endingRamp: false });
      expect(r.stopReason).toBe('maxTokens');
      expect(illFormed(r.tokens)).toBe(0);
      const tail = r.generated.slice(r.generated.length - r.tail);
      expect(r.closed).toBeGreaterThan(0); // the test can fail: notes sound at the stop
      expect(tail.filter((t) => vocab.kindOf(t) === 'note_off')).toHaveLength(r.closed);
      // Released over a short tail: note-offs with time shifts between them, within RELEASE_TAIL_MS.
      expect(vocab.kindOf(tail[0]!)).toBe('note_off');
      expect(vocab.kindOf(tail.at(-1)!)).toBe('note_off');
      expect(tail.every((t) => ['note_off', 'time_shift'].includes(vocab.kindOf(t)))).toBe(true);
      const tailMs = tail.reduce(
        (a, t) => a + (vocab.kindOf(t) === 'time_shift' ? vocab.valueOf(t) * vocab.stepMs : 0),
        0,
      );
      expect(tailMs).toBeLessThanOrEqual(400);
    }
    const open = notes.generate({ seed: 3, maxTokens: 300, closeNotes: false, endingRamp: false });
    expect([open.closed, open.tail]).toEqual([0, 0]);
    expect(open.generated.length).toBeLessThanOrEqual(300);
    expect(illFormed(open.tokens)).toBeGreaterThan(0);
  });

  it('keeps the grammar in a session across append and reset; the session never closes notes itself', () => {
    const s = notes.session({ seed: 5, primer: [vocab.noteOn(40)] });
    expect(s.soundingCount).toBe(1);
    s.append([vocab.noteOn(41), vocab.noteOff(40)]);
    expect(s.closingNoteOffs()).toEqual([vocab.noteOff(41)]);
    for (let i = 0; i < 200; i++) s.next();
    expect(illFormed(s.tokens)).toBe(s.soundingCount); // only the notes open now
    expect(s.closingNoteOffs()).toHaveLength(s.soundingCount);
    s.reset([vocab.noteOn(50), vocab.noteOff(50)]);
    expect(s.soundingCount).toBe(0);
  });

  it('never stops on <end> before minTokens / minSeconds, and stops soon after without them', () => {
    // Grammar off: with it, <end> also waits for every note to be released, which hides the rule tested here.
    const ending = steered({ [vocab.end]: 6, [vocab.timeShift(50)]: 4 });
    expect(ending.generate({ seed: 1, grammar: false, maxTokens: 400 }).generated.length).toBeLessThan(50);
    const r = ending.generate({ seed: 1, grammar: false, maxTokens: 400, minTokens: 120 });
    expect(r.generated.length).toBeGreaterThanOrEqual(120);
    const t = ending.generate({ seed: 1, grammar: false, maxTokens: 4000, minSeconds: 5 });
    expect(t.stopReason).toBe('end');
    expect(t.seconds).toBeGreaterThanOrEqual(5);
    expect(ending.generate({ seed: 1, grammar: false, maxTokens: 4000 }).seconds).toBeLessThan(5);
    // maxSeconds below minSeconds wins: the minimum is lowered to where the ending zone begins.
    const short = ending.generate({ seed: 1, grammar: false, maxTokens: 4000, minSeconds: 5, maxSeconds: 2 });
    expect(short.seconds).toBeLessThanOrEqual(2);
    const noRamp = {
      grammar: false,
      maxTokens: 4000,
      minSeconds: 5,
      maxSeconds: 2,
      endingRamp: false,
      closeNotes: false,
    } as const;
    expect(ending.generate({ seed: 1, ...noRamp })).toMatchObject({ stopReason: 'maxSeconds', seconds: 2 });
  });

  it.each([
    [{ minTokens: -1 }, /minTokens must be an integer >= 0, got -1/],
    [{ minSeconds: Number.NaN }, /minSeconds must be a finite number >= 0, got NaN/],
    [{ grammar: 'yes' }, /grammar must be a boolean, got yes/],
    [{ closeNotes: 1 }, /closeNotes must be a boolean, got 1/],
  ])('refuses %o with a BAD_INPUT error', (options, message) => {
    expect(() => notes.generate(options as never)).toThrow(message);
    expect(() => notes.generate(options as never)).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
