import { tf } from '../tf.js';

/** LayerNorm over the last dim: (x - mean) / sqrt(var + eps) * weight + bias (biased variance, as PyTorch). */
export function layerNorm(x: tf.Tensor2D, weight: tf.Tensor1D, bias: tf.Tensor1D, eps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true); // [rows, 1]
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(normed, weight), bias) as tf.Tensor2D;
  });
}
