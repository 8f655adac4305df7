/**
 * Adam on one flat parameter vector, in plain JS on the main thread: identical on every backend and
 * worker count, and its state (m, v, t) is three arrays for an exact resume. PyTorch's formulation
 * with bias correction; betas 0.9/0.98 and eps 1e-9 as in the Transformer paper.
 */
export class Adam {
  m: Float32Array;
  v: Float32Array;
  t = 0;

  constructor(
    size: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.98,
    readonly eps = 1e-9,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** One update of `params` in place with gradient `grad`. */
  update(params: Float32Array, grad: Float32Array, lr: number): void {
    this.t += 1;
    const { beta1: b1, beta2: b2, eps, m, v } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const stepSize = lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i]!;
      const mi = b1 * m[i]! + (1 - b1) * g;
      const vi = b2 * v[i]! + (1 - b2) * g * g;
      m[i] = mi;
      v[i] = vi;
      // p -= lr * mhat / (sqrt(vhat) + eps) with mhat = m / c1, vhat = v / c2.
      params[i] = params[i]! - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
    }
  }
}
