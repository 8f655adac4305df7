import { tf } from '../tf.js';

/**
 * Huang et al.'s skew: relative logits qe[i, r] (r indexes E rows, r = L-1 is distance 0) become
 * srel[i, j] = qe[i, L-1-(i-j)] for j <= i, using only a pad, a reshape and a slice: O(L*L) memory,
 * never the O(L*L*depth) tensor of Shaw et al. Entries j > i are junk and must be masked.
 */
export function skew(qe: tf.Tensor3D): tf.Tensor3D {
  const [h, l] = qe.shape; // [heads, len, len]
  return tf.tidy(() => {
    const padded = tf.pad(qe, [
      [0, 0],
      [0, 0],
      [1, 0],
    ]); // [heads, len, len + 1]
    const folded = tf.reshape(padded, [h, l + 1, l]); // [heads, len + 1, len]
    return tf.slice(folded, [0, 1, 0], [h, l, l]) as tf.Tensor3D; // [heads, len, len]
  });
}

/** The adjoint of `skew` (it is linear): gradient of the relative logits from the gradient of srel. */
export function unskew(ds: tf.Tensor3D): tf.Tensor3D {
  const [h, l] = ds.shape; // [heads, len, len]
  return tf.tidy(() => {
    const padded = tf.pad(ds, [
      [0, 0],
      [1, 0],
      [0, 0],
    ]); // [heads, len + 1, len]
    const unfolded = tf.reshape(padded, [h, l, l + 1]); // [heads, len, len + 1]
    return tf.slice(unfolded, [0, 0, 1], [h, l, l]) as tf.Tensor3D; // [heads, len, len]
  });
}
