import { createRng, createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { parseHParams } from '../hparams.js';
import { MusicTransformer } from '../model.js';
import { buildProcessors } from '../sampling/build.js';
import { chooseToken } from '../sampling/choose.js';
import { parseSamplingOptions } from '../sampling/config.js';
import { musicGrammar, NoteTracker } from '../sampling/grammar.js';
import { DEFAULT_PITCH_RANGE, noteOnsOutside } from '../sampling/pitch-range.js';
import { applyProcessors } from '../sampling/processors.js';
import { maxAbsDiff } from '../test-utils/random.js';
import { tf } from '../tf.js';
import { createGenerator } from './generator.js';
import { randomWeights } from './test-utils/random-weights.js';

const vocab = createVocab();
const small = { d_model: 32, num_layers: 2, num_heads: 4, d_ff: 64, max_rel_dist: 64 };

/** The model engineer's full forward (eval mode) over the whole sequence: logits [len][vocab]. */
function fullLogits(model: MusicTransformer, tokens: readonly number[]): Float32Array[] {
  let flat: Float32Array = new Float32Array(0);
  // Returns nothing from tidy: a returned TypedArray would be walked element by element: tfjs copies it into a JS array first.
  tf.tidy(() => {
    const ids = tf.tensor2d([tokens as number[]], [1, tokens.length], 'int32');
    flat = model.logits(ids, { training: false }).dataSync() as Float32Array;
  });
  const v = model.hparams.vocab_size;
  return tokens.map((_, i) => flat.slice(i * v, (i + 1) * v));
}

/**
 * Replays the sampling of a generation on given logits with a fresh stream of the same seed, the music
 * grammar (on by default) rebuilt from the history, so the session's masks are checked too.
 */
function replay(
  stepLogits: Float32Array[],
  history: readonly number[],
  primerLength: number,
  seed: number,
  options = {},
) {
  const rng = createRng(seed);
  const config = parseSamplingOptions(options);
  const notes = new NoteTracker(vocab.ranges);
  const outOfRange = noteOnsOutside(DEFAULT_PITCH_RANGE, vocab.ranges.note_on, 0);
  const processors = [musicGrammar(notes, vocab.end, outOfRange), ...buildProcessors(config, vocab)];
  return stepLogits.map((l, s) => {
    const before = history.slice(0, primerLength + s);
    notes.reset(before);
    return chooseToken(applyProcessors(processors, l, before), config.mode, rng);
  });
}

describe('cached generation', () => {
  it.each([
    ['post', 0, 64, 'simd'],
    ['pre', 0, 64, 'simd'],
    ['post', 300, 64, 'simd'],
    ['pre', 300, 64, 'simd'],
    ['pre', 300, 0, 'simd'],
    ['post', 0, 64, 'js'],
    ['pre', 300, 64, 'js'],
  ] as const)(
    'equals the full forward at every step over 256 steps (norm %s, max_abs_position %i, max_rel_dist %i, %s kernels)',
    (norm, abs, rel, kernels) => {
      const h = parseHParams({ ...small, norm, max_abs_position: abs, max_rel_dist: rel });
      const model = MusicTransformer.fromWeights(h, randomWeights(h, 21));
      const generator = createGenerator(model, { contextLength: 260, kernels });
      expect(generator.kernels).toBe(kernels);
      const session = generator.session({ seed: 9, sampling: { temperature: 1.1 } });
      for (let i = 0; i < 256; i++) session.next();
      const tokens = session.tokens;
      expect(tokens).toHaveLength(257);
      // Causality makes position i of one full forward the logits the cached decoder had at step i.
      const ref = fullLogits(model, tokens.slice(0, 256));
      const cached = createGenerator(model, { contextLength: 260, kernels }).session({ seed: 9 });
      let worst = 0;
      for (let i = 0; i < 256; i++) {
        worst = Math.max(worst, maxAbsDiff(cached.nextLogits(), ref[i]!));
        cached.append([tokens[i + 1]!]);
      }
      expect(worst).toBeLessThan(1e-4);
      expect(replay(ref, tokens, 1, 9, { temperature: 1.1 })).toEqual(tokens.slice(1));
      model.dispose();
    },
  );
});

describe('cached generation without biases', () => {
  it('equals the full forward when wq/wk/wv and the FFN have no bias (bias: false)', () => {
    const h = parseHParams({ ...small, bias: false, norm: 'pre' });
    const model = MusicTransformer.fromWeights(h, randomWeights(h, 8));
    const session = createGenerator(model).session({ seed: 3 });
    for (let i = 0; i < 64; i++) session.next();
    const ref = fullLogits(model, session.tokens.slice(0, 64));
    const check = createGenerator(model).session({ seed: 3 });
    for (let i = 0; i < 64; i++) {
      expect(maxAbsDiff(check.nextLogits(), ref[i]!), `step ${i}`).toBeLessThan(1e-4);
      check.append([session.tokens[i + 1]!]);
    }
    model.dispose();
  });
});

describe('sliding window past the context length', () => {
  it('re-encodes [<start>, last windowKeep - 2 tokens, new token] and matches the full forward of that window', () => {
    const h = parseHParams({ ...small, norm: 'pre', max_abs_position: 32 });
    const model = MusicTransformer.fromWeights(h, randomWeights(h, 5));
    const generator = createGenerator(model, { contextLength: 24, windowKeep: 10 });
    expect(generator.policy).toEqual({ contextLength: 24, windowKeep: 10 });
    const a = generator.session({ seed: 4 });
    for (let i = 0; i < 70; i++) a.next();
    const tokens = a.tokens;
    const b = generator.session({ seed: 4 });
    let win = [vocab.start];
    const refs: Float32Array[] = [];
    for (let s = 0; s < 70; s++) {
      const ref = fullLogits(model, win).at(-1)!;
      refs.push(ref);
      expect(maxAbsDiff(b.nextLogits(), ref), `step ${s}, window of ${win.length}`).toBeLessThan(1e-4);
      const t = tokens[1 + s]!;
      b.append([t]);
      win = win.length === 24 ? [vocab.start, ...win.slice(-(10 - 2)), t] : [...win, t];
    }
    expect(replay(refs, tokens, 1, 4)).toEqual(tokens.slice(1));
    model.dispose();
  });

  it('encodes a primer longer than the context as <start> + its last windowKeep - 1 tokens', () => {
    const h = parseHParams(small);
    const model = MusicTransformer.fromWeights(h, randomWeights(h, 6));
    const primer = Array.from({ length: 40 }, (_, i) => vocab.noteOn(40 + (i % 30)));
    const session = createGenerator(model, { contextLength: 24, windowKeep: 10 }).session({ primer });
    const ref = fullLogits(model, [vocab.start, ...primer.slice(-9)]).at(-1)!;
    expect(maxAbsDiff(session.nextLogits(), ref)).toBeLessThan(1e-4);
    expect(session.tokens).toEqual([vocab.start, ...primer]);
    model.dispose();
  });
});
