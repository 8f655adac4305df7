import { ModelError } from './errors.js';
import type { HParams } from './hparams.js';

/** How a parameter is initialised (see README "Initialisation"). */
export type InitKind =
  | { kind: 'normal'; std: number }
  | { kind: 'glorot'; fanIn: number; fanOut: number }
  | { kind: 'constant'; value: number };

export interface ParamSpec {
  /** PyTorch state_dict name of the original project. */
  name: string;
  /** PyTorch layout: Linear weights are [out, in]. */
  shape: number[];
  init: InitKind;
}

const zeros: InitKind = { kind: 'constant', value: 0 };
const ones: InitKind = { kind: 'constant', value: 1 };

function linear(name: string, inDim: number, outDim: number, bias: boolean): ParamSpec[] {
  const w: ParamSpec = {
    name: `${name}.weight`,
    shape: [outDim, inDim],
    init: { kind: 'glorot', fanIn: inDim, fanOut: outDim },
  };
  return bias ? [w, { name: `${name}.bias`, shape: [outDim], init: zeros }] : [w];
}

function layerNorm(name: string, dim: number): ParamSpec[] {
  return [
    { name: `${name}.weight`, shape: [dim], init: ones },
    { name: `${name}.bias`, shape: [dim], init: zeros },
  ];
}

/**
 * Every parameter, in a fixed order (the flat layout of gradients and optimiser state), named and laid
 * out like the original's state_dict. `bias: false` drops the bias of wq/wk/wv and the FFN linears only.
 */
export function paramSpecs(h: HParams): ParamSpec[] {
  const d = h.d_model;
  const depth = d / h.num_heads;
  const specs: ParamSpec[] = [
    // N(0, d^-0.5): with the sqrt(d) scale of the forward pass, embedded vectors start at unit scale.
    { name: 'input_embedding.weight', shape: [h.vocab_size, d], init: { kind: 'normal', std: d ** -0.5 } },
  ];
  for (let i = 0; i < h.num_layers; i++) {
    const p = `decoder.layers.${i}`;
    specs.push(
      ...linear(`${p}.self_attn.wq`, d, d, h.bias),
      ...linear(`${p}.self_attn.wk`, d, d, h.bias),
      ...linear(`${p}.self_attn.wv`, d, d, h.bias),
    );
    if (h.max_rel_dist > 0) {
      // N(0, depth^-0.5) as tensor2tensor's relative embeddings: q.e then matches q.k in scale.
      specs.push({
        name: `${p}.self_attn.E.weight`,
        shape: [h.max_rel_dist, d],
        init: { kind: 'normal', std: depth ** -0.5 },
      });
    }
    specs.push(
      ...linear(`${p}.self_attn.wo`, d, d, true),
      ...linear(`${p}.ffn.main.0`, d, h.d_ff, h.bias),
      ...linear(`${p}.ffn.main.2`, h.d_ff, d, h.bias),
      ...layerNorm(`${p}.layernorm1`, d),
      ...layerNorm(`${p}.layernorm2`, d),
    );
  }
  specs.push(...layerNorm('decoder.norm', d), ...linear('final', d, h.vocab_size, true));
  return specs;
}

export function paramCount(h: HParams): number {
  return paramSpecs(h).reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}

/** Refuses a weight map that does not match the hparams, naming the first mismatch. */
export function checkWeights(h: HParams, weights: Map<string, Float32Array>): void {
  const specs = paramSpecs(h);
  const expected = new Set(specs.map((s) => s.name));
  for (const spec of specs) {
    const v = weights.get(spec.name);
    if (v === undefined) {
      throw new ModelError(
        'BAD_WEIGHTS',
        `weights: missing tensor '${spec.name}' (expected shape [${spec.shape}])`,
      );
    }
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (!(v instanceof Float32Array) || v.length !== size) {
      throw new ModelError(
        'BAD_WEIGHTS',
        `weights: tensor '${spec.name}' has ${v.length} values, expected shape [${spec.shape}] (${size} values)`,
      );
    }
  }
  for (const name of weights.keys()) {
    if (!expected.has(name)) throw new ModelError('BAD_WEIGHTS', `weights: unexpected tensor '${name}'`);
  }
}

/** splitmix32 over a string hash: a small, portable stream per (seed, parameter name). */
function streamFor(seed: number, name: string): () => number {
  let hsh = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i++) hsh = Math.imul(hsh ^ name.charCodeAt(i), 0x01000193) >>> 0;
  let state = hsh;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return (z + 0.5) / 4294967296; // (0, 1): safe for log in Box-Muller
  };
}

/**
 * Fresh parameters. Each tensor draws from its own stream keyed by the seed and its name, so every
 * layer is initialised independently (the original deep-copies one layer) and adding a parameter
 * does not shift the others. Glorot/Xavier uniform for Linear weights, zeros for biases, ones/zeros
 * for LayerNorm, normal for the embeddings (std noted in paramSpecs).
 */
export function initParams(h: HParams, seed: number): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const spec of paramSpecs(h)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    const init = spec.init;
    if (init.kind === 'constant') values.fill(init.value);
    else {
      const next = streamFor(seed, spec.name);
      if (init.kind === 'glorot') {
        const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
        for (let i = 0; i < size; i++) values[i] = (2 * next() - 1) * limit;
      } else {
        for (let i = 0; i < size; i++) {
          values[i] = init.std * Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
        }
      }
    }
    out.set(spec.name, values);
  }
  return out;
}
