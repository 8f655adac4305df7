import { tf } from '../tf.js';
import { causalTranspose } from './causal-transpose.js';
import { fusedAttentionAvailable, relativeGrad, relativeLogits } from './fused-kernels.js';
import { skew, unskew } from './skew.js';

/**
 * Per-sequence attention probabilities, shared by the forward pass and the recompute. Temporaries are
 * freed as soon as they are used: at len 2048 each [heads, len, len] tensor is 128 MB, and the peak of
 * live ones, not the count of ops, decides whether a step fits the 4 GB wasm heap.
 */
function probabilities(
  qs: tf.Tensor3D,
  k: tf.Tensor3D,
  er: tf.Tensor3D | null,
  mask: tf.Tensor2D,
  fused: boolean,
): tf.Tensor3D {
  // qs is already scaled by 1/sqrt(depth): S = qs k^T + skew(qs er^T) + mask.
  let s = tf.matMul(qs, k, false, true) as tf.Tensor3D; // [heads, len, len]
  if (er !== null) {
    const qe = tf.matMul(qs, er, false, true) as tf.Tensor3D;
    if (fused) {
      // skew + add + causal mask in one pass (fused-kernels.ts)
      const logits = relativeLogits(s, qe);
      s.dispose();
      qe.dispose();
      const p = tf.softmax(logits) as tf.Tensor3D;
      logits.dispose();
      return p;
    }
    const rel = skew(qe);
    qe.dispose();
    const sum = tf.add(s, rel) as tf.Tensor3D;
    s.dispose();
    rel.dispose();
    s = sum;
  }
  const masked = tf.add(s, mask);
  s.dispose();
  const p = tf.softmax(masked) as tf.Tensor3D; // [heads, len, len]
  masked.dispose();
  return p;
}

function row(t: tf.Tensor4D, b: number): tf.Tensor3D {
  const [, h, l, d] = t.shape;
  return tf.reshape(tf.slice(t, [b, 0, 0, 0], [1, h, l, d]), [h, l, d]);
}

export interface AttentionOptions {
  /**
   * Keep the probabilities of the forward pass for the backward pass instead of recomputing them:
   * about 15 % faster, at batch * heads * len^2 floats per layer until backprop. The model turns it on
   * for training while that stays small (see model.ts).
   */
  keepProbs?: boolean;
  /** Use the fused JS kernels (default: when the backend has them, i.e. wasm and cpu). For tests. */
  fused?: boolean;
}

/**
 * Relative global self-attention (Huang et al. 2018) with a hand-written backward pass.
 *
 * Memory is the point: autodiff would keep ~6 [heads, len, len] intermediates per layer per sequence
 * (1.85 GB at len 1024, and len 2048 overflowed the 4 GB wasm heap). This op saves only its inputs and
 * output (O(len * dModel)), plus the probabilities when `keepProbs`, else recomputes them in the
 * backward pass; it works one sequence at a time, so the transient is a few [heads, len, len] tensors.
 *
 * q, k, v: [batch, heads, len, depth]; er: [heads, len, depth] relative embeddings (row len-1 is
 * distance 0) or null for plain attention; mask: the additive causal mask [len, len] (causalMask(len)).
 * The attention is causal by construction: the fused kernels build the mask in and the backward pass
 * relies on P being zero above the diagonal, so no other mask may be passed. Returns [batch, heads, len, depth].
 */
export function relativeAttention(
  q: tf.Tensor4D,
  k: tf.Tensor4D,
  v: tf.Tensor4D,
  er: tf.Tensor3D | null,
  mask: tf.Tensor2D,
  options: AttentionOptions = {},
): tf.Tensor4D {
  const [batch, , , depth] = q.shape;
  const scale = 1 / Math.sqrt(depth);
  const keepProbs = options.keepProbs ?? false;
  const hasE = er !== null;
  const fused = (options.fused ?? true) && fusedAttentionAvailable();

  const backward = (dy: tf.Tensor4D, [qq, kk, vv, oo, mm, ...rest]: tf.Tensor[]): tf.Tensor[] =>
    tf.tidy(() => {
      const ee = hasE ? (rest[0] as tf.Tensor3D) : null;
      const probs = rest.slice(hasE ? 1 : 0) as tf.Tensor3D[];
      const dq: tf.Tensor3D[] = [];
      const dk: tf.Tensor3D[] = [];
      const dv: tf.Tensor3D[] = [];
      let de: tf.Tensor3D | null = null;
      for (let b = 0; b < batch; b++) {
        // A tidy per sequence: the [heads, len, len] temporaries of one sequence die before the next.
        const [dqb, dkb, dvb, deb] = tf.tidy((): tf.Tensor3D[] => {
          const qs = tf.mul(row(qq as tf.Tensor4D, b), scale) as tf.Tensor3D;
          const kb = row(kk as tf.Tensor4D, b);
          const dob = row(dy, b);
          const saved = probs[b];
          const p = saved ?? probabilities(qs, kb, ee, mm as tf.Tensor2D, fused);
          // P^T dO; P is zero above the diagonal, so its transpose reads only the lower half.
          const pT = causalTranspose(p, 'lower');
          const dvOut = tf.matMul(pT, dob) as tf.Tensor3D;
          pT.dispose();
          const dp = tf.matMul(dob, row(vv as tf.Tensor4D, b), false, true); // [heads, len, len]
          const rowDot = tf.sum(tf.mul(dob, row(oo as tf.Tensor4D, b)), -1, true) as tf.Tensor3D; // sum_j P dP = dO . O
          if (fused && ee !== null) {
            // g = [dS | dQE] in one pass; then [K; E] and g^T give dq, dk, dE with two products.
            const g = relativeGrad(p, dp as tf.Tensor3D, rowDot); // [heads, len, 2 * len]
            dp.dispose();
            if (saved === undefined) p.dispose();
            const [heads, len, depthE] = ee.shape;
            const dqs = tf.matMul(g, tf.concat([kb, ee], 1)); // [heads, len, depth]
            const gT = causalTranspose(g, 'relgrad'); // [heads, 2 * len, len]
            g.dispose();
            const dke = tf.matMul(gT, qs); // [heads, 2 * len, depth]
            gT.dispose();
            const dkOut = tf.slice(dke, [0, 0, 0], [heads, len, depthE]) as tf.Tensor3D;
            const deOut = tf.slice(dke, [0, len, 0], [heads, len, depthE]) as tf.Tensor3D;
            return [tf.mul(dqs, scale) as tf.Tensor3D, dkOut, dvOut, deOut];
          }
          const centred = tf.sub(dp, rowDot);
          dp.dispose();
          const ds = tf.mul(p, centred) as tf.Tensor3D; // softmax backward; 0 where masked
          centred.dispose();
          if (saved === undefined) p.dispose(); // saved ones belong to the tape
          let dqs = tf.matMul(ds, kb) as tf.Tensor3D;
          const dkOut = tf.matMul(ds, qs, true, false) as tf.Tensor3D;
          const grads = [dkOut, dvOut];
          if (ee !== null) {
            const dqe = unskew(ds); // [heads, len, len]
            ds.dispose();
            dqs = tf.add(dqs, tf.matMul(dqe, ee)) as tf.Tensor3D;
            grads.push(tf.matMul(dqe, qs, true, false) as tf.Tensor3D); // [heads, len, depth]
          }
          return [tf.mul(dqs, scale) as tf.Tensor3D, ...grads];
        });
        dq.push(dqb!);
        dk.push(dkb!);
        dv.push(dvb!);
        if (deb !== undefined) de = de === null ? deb : (tf.add(de, deb) as tf.Tensor3D);
      }
      const grads: tf.Tensor[] = [tf.stack(dq), tf.stack(dk), tf.stack(dv)];
      if (de !== null) grads.push(de);
      return grads;
    });

  const op = tf.customGrad((...args) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const [qq, kk, vv] = args as tf.Tensor4D[];
    const ee = hasE ? (args[3] as tf.Tensor3D) : null;
    const probs: tf.Tensor3D[] = [];
    const out = tf.tidy(() => {
      const outs: tf.Tensor3D[] = [];
      for (let b = 0; b < batch; b++) {
        outs.push(
          tf.tidy(() => {
            const p = probabilities(tf.mul(row(qq!, b), scale) as tf.Tensor3D, row(kk!, b), ee, mask, fused);
            if (keepProbs) probs.push(tf.keep(p));
            return tf.matMul(p, row(vv!, b)) as tf.Tensor3D; // [heads, len, depth]
          }),
        );
      }
      return tf.stack(outs) as tf.Tensor4D;
    });
    // The mask is saved too: tensors a caller made inside a gradient scope are gone by backprop time.
    // save() clones; without a gradient tape it keeps nothing, so our references are dropped either way.
    save([qq!, kk!, vv!, out, mask, ...(ee === null ? [] : [ee]), ...probs]);
    tf.dispose(probs);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy as tf.Tensor4D, saved),
    };
  });
  return (er === null ? op(q, k, v) : op(q, k, v, er)) as tf.Tensor4D;
}

/**
 * Relative embeddings for keys of length `len` from E [maxRelDist, dModel] (row 0 = farthest):
 * rows maxRelDist-len..maxRelDist-1, with row 0 repeated in front when len > maxRelDist, so every
 * distance >= maxRelDist-1 shares row 0 as in the original. Returns [heads, len, depth].
 */
export function relativeEmbeddings(e: tf.Tensor2D, len: number, heads: number): tf.Tensor3D {
  const [maxRel, dModel] = e.shape;
  return tf.tidy(() => {
    let rows: tf.Tensor2D;
    if (len <= maxRel) rows = tf.slice(e, [maxRel - len, 0], [len, dModel]);
    else rows = tf.concat([tf.tile(tf.slice(e, [0, 0], [1, dModel]), [len - maxRel, 1]), e], 0);
    // [len, dModel] -> [len, heads, depth] -> [heads, len, depth]: head h owns columns h*depth..
    return tf.transpose(tf.reshape(rows, [len, heads, dModel / heads]), [1, 0, 2]) as tf.Tensor3D;
  });
}
