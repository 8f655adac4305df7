import { ModelError } from './errors.js';
import { tf } from './tf.js';

export interface TokenMetrics {
  /** Sum of -log p(target) over non-pad targets (natural log). */
  nllSum: number;
  /** Number of non-pad targets. */
  tokens: number;
  /** Non-pad targets whose argmax prediction is right. */
  correct: number;
}

function checkShapes(logits: tf.Tensor3D, targets: tf.Tensor2D, fn: string): void {
  if (targets.dtype !== 'int32' || targets.rank !== 2) {
    throw new ModelError(
      'BAD_INPUT',
      `${fn}: targets must be int32 [batch, len], got ${targets.dtype} [${targets.shape}]`,
    );
  }
  if (logits.shape[0] !== targets.shape[0] || logits.shape[1] !== targets.shape[1]) {
    throw new ModelError(
      'BAD_INPUT',
      `${fn}: logits [${logits.shape}] do not match targets [${targets.shape}]`,
    );
  }
}

/**
 * Summed cross-entropy over non-pad targets as a scalar tensor (differentiable), with optional label
 * smoothing (target distribution (1 - eps) * onehot + eps / vocab). The caller divides by the token
 * count, so micro-batches add up exactly to one big batch. logits [batch, len, vocab], targets int32
 * [batch, len]. One-hot products instead of gather: gather's gradient needs a kernel wasm lacks.
 */
export function maskedLossSum(
  logits: tf.Tensor3D,
  targets: tf.Tensor2D,
  padId: number,
  labelSmoothing = 0,
): tf.Scalar {
  checkShapes(logits, targets, 'maskedLossSum');
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw new ModelError(
      'BAD_INPUT',
      `maskedLossSum: labelSmoothing must be in [0, 1), got ${labelSmoothing}`,
    );
  }
  const [batch, len, vocab] = logits.shape;
  return tf.tidy(() => {
    const logp = tf.logSoftmax(tf.reshape(logits, [batch * len, vocab])); // [rows, vocab]
    const flat = tf.reshape(targets, [batch * len]);
    let target = tf.oneHot(flat, vocab).toFloat(); // [rows, vocab]
    if (labelSmoothing > 0) target = tf.add(tf.mul(target, 1 - labelSmoothing), labelSmoothing / vocab);
    const nll = tf.neg(tf.sum(tf.mul(target, logp), -1)); // [rows]
    const keep = tf.notEqual(flat, padId).toFloat();
    return tf.sum(tf.mul(nll, keep)) as tf.Scalar;
  });
}

/**
 * [nllSum, tokens, correct] over non-pad targets as one tensor, not read back: the training step keeps it
 * from inside the gradient tape and reads it once the gradients are out. The caller disposes it.
 */
export function tokenMetricsTensor(logits: tf.Tensor3D, targets: tf.Tensor2D, padId: number): tf.Tensor1D {
  checkShapes(logits, targets, 'tokenMetrics');
  const [batch, len, vocab] = logits.shape;
  return tf.tidy(() => {
    const logp = tf.logSoftmax(tf.reshape(logits, [batch * len, vocab]));
    const flat = tf.reshape(targets, [batch * len]);
    const keep = tf.notEqual(flat, padId).toFloat();
    const picked = tf.sum(tf.mul(tf.oneHot(flat, vocab).toFloat(), logp), -1);
    const hits = tf.equal(tf.argMax(logp, -1).toInt(), flat).toFloat();
    return tf.stack([
      tf.neg(tf.sum(tf.mul(picked, keep))),
      tf.sum(keep),
      tf.sum(tf.mul(hits, keep)),
    ]) as tf.Tensor1D;
  });
}

/** Reads back the three figures of `tokenMetricsTensor`. */
export function readTokenMetrics(t: tf.Tensor1D): TokenMetrics {
  const [nllSum, tokens, correct] = t.dataSync();
  return { nllSum: nllSum!, tokens: Math.round(tokens!), correct: Math.round(correct!) };
}

/** NLL sum, token count and argmax-correct count over non-pad targets (no gradient; reads back). */
export function tokenMetrics(logits: tf.Tensor3D, targets: tf.Tensor2D, padId: number): TokenMetrics {
  const t = tokenMetricsTensor(logits, targets, padId);
  try {
    return readTokenMetrics(t);
  } finally {
    t.dispose();
  }
}
