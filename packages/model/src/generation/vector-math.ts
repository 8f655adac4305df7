// Element-wise helpers of the cached decoder on [dModel]-sized vectors: too small to be worth a kernel.

/** out = LayerNorm(x) with biased variance, as torch.nn.LayerNorm; `out` may alias `x`. */
export function layerNorm(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  eps: number,
  out: Float32Array,
): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const c = x[i]! - mean;
    variance += c * c;
  }
  const inv = 1 / Math.sqrt(variance / n + eps);
  for (let i = 0; i < n; i++) out[i] = (x[i]! - mean) * inv * weight[i]! + bias[i]!;
}

/** x += y, element-wise. */
export function addInPlace(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] = x[i]! + y[i]!;
}

/** x = max(x, 0), element-wise. */
export function reluInPlace(x: Float32Array): void {
  for (let i = 0; i < x.length; i++) if (x[i]! < 0) x[i] = 0;
}
