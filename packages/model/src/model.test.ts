import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import type { ModelError } from './errors.js';
import { type HParams, parseHParams } from './hparams.js';
import { maskedLossSum, tokenMetrics } from './metrics.js';
import { MusicTransformer } from './model.js';
import { maxAbsDiff } from './test-utils/random.js';
import { tf } from './tf.js';

const tiny: HParams = parseHParams({
  d_model: 16,
  num_layers: 2,
  num_heads: 2,
  d_ff: 32,
  max_rel_dist: 6,
  vocab_size: 12,
});
const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0]!.length], 'int32');

describe('MusicTransformer', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => {
    tf.disposeVariables();
  });

  it('returns [batch, len, vocab] logits and leaks no tensors', () => {
    const m = MusicTransformer.create(tiny, 1);
    const x = ids([
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [11, 10, 9, 8, 7, 6, 5, 4, 3, 0],
    ]);
    m.logits(x, { training: true, seed: 3 }).dispose(); // builds the cached causal mask
    const before = tf.memory().numTensors;
    const y = m.logits(x, { training: true, seed: 3 });
    expect(y.shape).toEqual([2, 10, 12]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    x.dispose();
  });

  it('initialises every layer independently and deterministically per seed', () => {
    const a = MusicTransformer.create(tiny, 7).weights();
    const b = MusicTransformer.create(tiny, 7).weights();
    const c = MusicTransformer.create(tiny, 8).weights();
    expect(a['decoder.layers.0.self_attn.wq.weight']).toEqual(b['decoder.layers.0.self_attn.wq.weight']);
    expect(
      maxAbsDiff(a['decoder.layers.0.self_attn.wq.weight']!, a['decoder.layers.1.self_attn.wq.weight']!),
    ).toBeGreaterThan(0.01);
    expect(
      maxAbsDiff(a['decoder.layers.0.self_attn.wq.weight']!, c['decoder.layers.0.self_attn.wq.weight']!),
    ).toBeGreaterThan(0.01);
    // Glorot bound for a 16x16 linear: sqrt(6 / 32).
    const wq = a['decoder.layers.0.self_attn.wq.weight']!;
    expect(Math.max(...wq.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 32));
    expect(Array.from(a['decoder.layers.0.layernorm1.weight']!)).toEqual(new Array(16).fill(1));
  });

  for (const variant of [
    { name: 'post-LN relative (len > max_rel_dist)', h: tiny },
    { name: 'pre-LN', h: { ...tiny, norm: 'pre' as const } },
    {
      name: 'plain attention (max_rel_dist 0) + absolute positions',
      h: { ...tiny, max_rel_dist: 0, max_abs_position: 20 },
    },
  ]) {
    it(`is causal: changing token t changes no logits before t (${variant.name})`, () => {
      const m = MusicTransformer.create(variant.h, 2);
      const row = [1, 5, 3, 7, 2, 9, 4, 4, 8, 1, 6, 2];
      const changed = row.slice();
      changed[8] = 11;
      const a = tf.tidy(() => m.logits(ids([row]), { training: false }).arraySync()[0]!);
      const b = tf.tidy(() => m.logits(ids([changed]), { training: false }).arraySync()[0]!);
      for (let t = 0; t < row.length; t++) {
        const d = maxAbsDiff(a[t]!, b[t]!);
        if (t < 8) expect(d).toBe(0);
        else expect(d).toBeGreaterThan(0);
      }
      m.dispose();
    });
  }

  it('dropout is deterministic per seed and off in evaluation', () => {
    const m = MusicTransformer.create({ ...tiny, dropout: 0.3 }, 4);
    const x = ids([[1, 2, 3, 4, 5, 6]]);
    const run = (o: { training: boolean; seed?: number }) => tf.tidy(() => m.logits(x, o).dataSync());
    expect(run({ training: true, seed: 5 })).toEqual(run({ training: true, seed: 5 }));
    expect(maxAbsDiff(run({ training: true, seed: 5 }), run({ training: true, seed: 6 }))).toBeGreaterThan(
      1e-3,
    );
    expect(run({ training: false, seed: 5 })).toEqual(run({ training: false, seed: 6 }));
    expect(() => m.logits(x, { training: true, seed: 0 })).toThrow(/non-zero integer/);
    m.dispose();
    x.dispose();
  });

  it('refuses bad ids and lengths beyond the absolute position table', () => {
    const m = MusicTransformer.create({ ...tiny, max_abs_position: 4 }, 1);
    expect(() =>
      m.logits(tf.tensor2d([[1, 2]], [1, 2], 'float32') as tf.Tensor2D, { training: false }),
    ).toThrow(/int32/);
    try {
      m.logits(ids([[1, 2, 3, 4, 5]]), { training: false });
      expect.unreachable();
    } catch (e) {
      expect((e as ModelError).code).toBe('BAD_INPUT');
      expect((e as Error).message).toMatch(/length 5 exceeds max_abs_position 4/);
    }
    m.dispose();
  });

  it.each(['post', 'pre'] as const)(
    'gradients match central finite differences (whole model, float32, %s-LN)',
    (norm) => {
      const h = { ...tiny, dropout: 0, norm };
      const m = MusicTransformer.create(h, 9);
      const x = ids([[3, 1, 4, 1, 5, 9, 2, 6, 5]]);
      const y = ids([[1, 4, 1, 5, 9, 2, 6, 5, 3]]);
      const loss = () => maskedLossSum(m.logits(x, { training: false }), y, 0);
      const vars = m.variables();
      const { value, grads } = tf.variableGrads(loss, vars);
      value.dispose();
      // Probe parameters of every kind, attention (incl. E) first: the skew's backward is hand-written.
      const probes = [
        'decoder.layers.0.self_attn.E.weight',
        'decoder.layers.1.self_attn.wq.weight',
        'decoder.layers.0.self_attn.wk.weight',
        'decoder.layers.1.self_attn.wv.bias',
        'decoder.layers.0.ffn.main.0.weight',
        'input_embedding.weight',
      ];
      // 2e-3: small enough that curvature stays below the tolerance for both norms (at 1e-2 the pre-LN
      // model's E entry is 6 % off from curvature alone), large enough for float32 round-off.
      const eps = 2e-3;
      for (const name of probes) {
        const v = m.variable(name);
        const g = grads[v.name]!.dataSync();
        const values = v.dataSync() as Float32Array;
        // the entry with the largest gradient: a meaningful relative comparison
        let k = 0;
        for (let i = 0; i < g.length; i++) if (Math.abs(g[i]!) > Math.abs(g[k]!)) k = i;
        const at = (delta: number) => {
          const copy = values.slice();
          copy[k] = copy[k]! + delta;
          v.assign(tf.tensor(copy, v.shape));
          return tf.tidy(() => loss().dataSync()[0]!);
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        v.assign(tf.tensor(values, v.shape));
        expect(Math.abs(numeric - g[k]!) / Math.max(1e-3, Math.abs(g[k]!))).toBeLessThan(2e-2);
      }
      tf.dispose(Object.values(grads));
      m.dispose();
    },
  );

  it('tokenMetrics counts non-pad targets, correct argmax and NLL', () => {
    const logits = tf.tensor3d([
      [
        [0, 5, 0],
        [2, 0, 0],
        [0, 0, 9],
      ],
    ]);
    const targets = ids([[1, 2, 0]]);
    const r = tokenMetrics(logits, targets, 0);
    expect(r.tokens).toBe(2);
    expect(r.correct).toBe(1);
    const expected = -(5 - Math.log(Math.exp(5) + 2)) - (0 - Math.log(Math.exp(2) + 2));
    expect(r.nllSum).toBeCloseTo(expected, 4);
    expect(maskedLossSum(logits, targets, 0).dataSync()[0]).toBeCloseTo(expected, 4);
    // label smoothing raises the loss of confident right answers
    expect(maskedLossSum(logits, targets, 0, 0.1).dataSync()[0]!).toBeGreaterThan(expected);
  });

  it('fromWeights refuses the first missing or mis-sized tensor', () => {
    const w = MusicTransformer.create(tiny, 1).weights();
    const missing = { ...w };
    delete missing['decoder.layers.1.ffn.main.2.bias'];
    expect(() => MusicTransformer.fromWeights(tiny, missing)).toThrow(
      /missing tensor 'decoder.layers.1.ffn.main.2.bias'/,
    );
    const wrong = { ...w, 'final.bias': new Float32Array(13) };
    expect(() => MusicTransformer.fromWeights(tiny, wrong)).toThrow(
      /'final.bias' has 13 values, expected shape \[12\]/,
    );
    expect(() => MusicTransformer.fromWeights(tiny, { ...w, extra: new Float32Array(1) })).toThrow(
      /unexpected tensor 'extra'/,
    );
  });
});
