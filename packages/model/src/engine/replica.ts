import type { HParams } from '../hparams.js';
import { maskedLossSum, readTokenMetrics, tokenMetrics, tokenMetricsTensor } from '../metrics.js';
import { MusicTransformer } from '../model.js';
import { paramSpecs } from '../params.js';
import { tf } from '../tf.js';
import { type FlatLayout, flatLayout, unflatten } from './flat.js';
import type { EvalResult, TokenBatch } from './types.js';

export interface GradResult extends EvalResult {
  /** Sum over the micro-batches of d(sum of token losses)/d(params), flat in spec order. */
  grad: Float32Array;
}

/** Splits [batch, len] rows into inputs row[0..len-2] and targets row[1..len-1] (int32 tensors). */
function split(b: TokenBatch): { inputs: tf.Tensor2D; targets: tf.Tensor2D } {
  return tf.tidy(() => {
    const rows = tf.tensor2d(b.ids, [b.batch, b.len], 'int32');
    return {
      inputs: tf.slice(rows, [0, 0], [b.batch, b.len - 1]) as tf.Tensor2D,
      targets: tf.slice(rows, [0, 1], [b.batch, b.len - 1]) as tf.Tensor2D,
    };
  });
}

/**
 * One model copy that turns micro-batches into summed gradients. The engine runs one in-process or
 * one per worker thread; all replicas get the same flat weights after every update.
 */
export class Replica {
  readonly model: MusicTransformer;
  readonly layout: FlatLayout;

  constructor(
    hparams: HParams,
    flat: Float32Array,
    readonly padId: number,
  ) {
    this.layout = flatLayout(paramSpecs(hparams));
    this.model = MusicTransformer.fromWeights(hparams, unflatten(this.layout, flat));
  }

  setFlat(flat: Float32Array): void {
    const vars = this.model.variables();
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const off = this.layout.offsets[i]!;
        v.assign(tf.tensor(flat.subarray(off, off + this.layout.sizes[i]!), v.shape, 'float32'));
      });
    });
  }

  grads(batches: TokenBatch[], seeds: number[], labelSmoothing: number): GradResult {
    const grad = new Float32Array(this.layout.total);
    const vars = this.model.variables();
    let nllSum = 0;
    let tokens = 0;
    let correct = 0;
    batches.forEach((b, bi) => {
      const { inputs, targets } = split(b);
      let kept: tf.Tensor1D | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const logits = this.model.logits(inputs, { training: true, seed: seeds[bi]! });
        kept = tf.keep(tokenMetricsTensor(logits, targets, this.padId));
        return maskedLossSum(logits, targets, this.padId, labelSmoothing);
      }, vars);
      vars.forEach((v, i) => {
        const g = grads[v.name];
        if (g === undefined) return; // a parameter the loss does not reach has a zero gradient
        const values = g.dataSync() as Float32Array;
        const off = this.layout.offsets[i]!;
        for (let j = 0; j < values.length; j++) grad[off + j] = grad[off + j]! + values[j]!;
      });
      const statsTensor = kept as unknown as tf.Tensor1D; // always set by the closure above
      const s = readTokenMetrics(statsTensor);
      nllSum += s.nllSum;
      tokens += s.tokens;
      correct += s.correct;
      tf.dispose([value, inputs, targets, statsTensor, ...Object.values(grads)]);
    });
    return { grad, nllSum, tokens, correct };
  }

  evaluate(b: TokenBatch): EvalResult {
    const { inputs, targets } = split(b);
    let result: EvalResult | undefined;
    tf.tidy(() => {
      result = tokenMetrics(this.model.logits(inputs, { training: false }), targets, this.padId);
    });
    tf.dispose([inputs, targets]);
    return result!;
  }

  dispose(): void {
    this.model.dispose();
  }
}
