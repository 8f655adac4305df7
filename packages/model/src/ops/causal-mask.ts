import { tf } from '../tf.js';

/** Large negative instead of -Infinity so a fully masked row (never produced here) stays finite. */
export const MASKED = -1e9;

/**
 * Additive causal mask [len, len]: 0 where key j <= query i, -1e9 above the diagonal. Built from a
 * JS array as a constant, because tf.linalg.bandPart inside a gradient throws (tfjs 4.22).
 * Pad keys are not masked: data is right-padded, so a real query never sees a pad key, and pad
 * queries are excluded from the loss.
 */
export function causalMask(len: number): tf.Tensor2D {
  const values = new Float32Array(len * len);
  for (let i = 0; i < len; i++) values.fill(MASKED, i * len + i + 1, (i + 1) * len);
  return tf.tensor2d(values, [len, len]);
}
