import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { loadModel, saveModel } from './checkpoint.js';
import type { ModelError } from './errors.js';
import { countParameters, hparamPresets, parseHParams } from './hparams.js';
import { MusicTransformer } from './model.js';
import { MODEL_FORMAT, readModelFile } from './model-file.js';
import { paramCount, paramSpecs } from './params.js';
import { decodeSafetensors, encodeSafetensors, type SafetensorsTensor } from './safetensors.js';

const tiny = parseHParams({
  d_model: 16,
  num_layers: 2,
  num_heads: 2,
  d_ff: 32,
  max_rel_dist: 8,
  vocab_size: 20,
});
const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function expectRefused(bytes: Uint8Array, pattern: RegExp, vocabSize?: number) {
  try {
    loadModel(bytes, { fileName: 'm.safetensors', ...(vocabSize === undefined ? {} : { vocabSize }) });
    expect.unreachable();
  } catch (e) {
    expect((e as ModelError).code).toBe('BAD_WEIGHTS');
    expect((e as Error).message).toMatch(pattern);
  }
}

/** Re-encodes a saved file with one tensor replaced or removed (undefined). */
function edited(bytes: Uint8Array, name: string, t: SafetensorsTensor | undefined): Uint8Array {
  const file = decodeSafetensors(bytes);
  if (t === undefined) file.tensors.delete(name);
  else file.tensors.set(name, t);
  return encodeSafetensors(file.tensors, file.metadata);
}

describe('saveModel / loadModel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('round-trips weights bit-exactly with hparams and vocab in the metadata', () => {
    const m = MusicTransformer.create(tiny, 5);
    const bytes = saveModel(m, { vocab: '{"preset":"seed"}', seed: '5' });
    const file = readModelFile(bytes);
    expect(file.hparams).toEqual(tiny);
    expect(file.vocab).toEqual({ preset: 'seed' });
    expect(file.metadata.format).toBe(MODEL_FORMAT);
    expect(file.metadata.seed).toBe('5');
    const back = loadModel(bytes);
    const a = m.weights();
    const b = back.weights();
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(bits(b[k]!)).toEqual(bits(a[k]!));
    // Layout of the original state_dict: Linear weights [out, in].
    expect(decodeSafetensors(bytes).tensors.get('decoder.layers.0.ffn.main.0.weight')!.shape).toEqual([
      32, 16,
    ]);
    m.dispose();
    back.dispose();
  });

  it('refuses a wrong shape, a missing or unexpected name and a vocabulary mismatch, naming it', () => {
    const m = MusicTransformer.create(tiny, 5);
    const bytes = saveModel(m);
    m.dispose();
    expectRefused(
      edited(bytes, 'decoder.layers.1.self_attn.wk.weight', {
        dtype: 'F32',
        shape: [16, 8],
        data: new Float32Array(128),
      }),
      /m\.safetensors: tensor 'decoder.layers.1.self_attn.wk.weight' has shape \[16,8\], expected \[16,16\]/,
    );
    expectRefused(edited(bytes, 'decoder.norm.bias', undefined), /missing tensor 'decoder.norm.bias'/);
    expectRefused(
      edited(bytes, 'decoder.layers.0.mha.wq.weight', {
        dtype: 'F32',
        shape: [1],
        data: new Float32Array(1),
      }),
      /unexpected tensor 'decoder.layers.0.mha.wq.weight'/,
    );
    expectRefused(
      bytes,
      /vocabulary mismatch: the file has vocab_size 20, the caller's vocabulary has 416 ids/,
      416,
    );
    const file = decodeSafetensors(bytes);
    expectRefused(encodeSafetensors(file.tensors, {}), /no 'hparams' in the safetensors metadata/);
    const wrongVocab = { ...file.metadata, hparams: JSON.stringify({ ...tiny, vocab_size: 21 }) };
    expectRefused(
      encodeSafetensors(file.tensors, wrongVocab),
      /'input_embedding.weight' has shape \[20,16\], expected \[21,16\]/,
    );
  });

  it('loads F16 weights (e.g. a half-precision export) as float32', () => {
    const m = MusicTransformer.create(tiny, 5);
    const file = decodeSafetensors(saveModel(m));
    m.dispose();
    const ones = new Uint16Array(16).fill(0x3c00); // 1.0 in F16
    file.tensors.set('decoder.norm.weight', { dtype: 'F16', shape: [16], data: ones });
    const back = loadModel(encodeSafetensors(file.tensors, file.metadata));
    expect(Array.from(back.weights()['decoder.norm.weight']!)).toEqual(new Array(16).fill(1));
    back.dispose();
  });
});

describe('hostile model files are refused from the header', () => {
  /** A model file with only metadata: whatever the hparams claim, no tensor is present. */
  const headerOnly = (hparams: string): Uint8Array =>
    encodeSafetensors(new Map(), { format: MODEL_FORMAT, hparams });

  it('a header claiming a million layers is one error naming the file and the bound', () => {
    const bytes = headerOnly(JSON.stringify({ ...tiny, num_layers: 1_000_000 }));
    expect(bytes.length).toBeLessThan(1000);
    expectRefused(bytes, /^m\.safetensors: invalid hparams: num_layers: .*256/);
  });

  it('hparams whose parameters would exceed the bound are refused before any list is built', () => {
    const bytes = headerOnly(
      JSON.stringify({ ...tiny, d_model: 16384, num_heads: 1, d_ff: 65536, num_layers: 256 }),
    );
    expectRefused(bytes, /^m\.safetensors: invalid hparams: .* parameters, above the limit of 1000000000/);
  });

  it('broken JSON metadata is one labelled error naming the file', () => {
    expectRefused(headerOnly('{"d_model": 16,'), /^m\.safetensors: metadata 'hparams' is not JSON$/);
  });

  it('a missing tensor is reported from the header, with every present tensor left undecoded', () => {
    const good = saveModel(MusicTransformer.create(tiny, 1));
    const layoutOnly = readModelFile(good, { fileName: 'ok.safetensors' });
    expect(layoutOnly.weights.size).toBe(paramSpecs(tiny).length);
    expectRefused(
      headerOnly(JSON.stringify(tiny)),
      /missing tensor 'input_embedding\.weight' \(expected \[20,16\]\)/,
    );
  });

  it('counts parameters by arithmetic exactly as the parameter list does', () => {
    for (const h of [tiny, ...Object.values(hparamPresets), parseHParams({ bias: false, max_rel_dist: 0 })])
      expect(countParameters(h)).toBe(paramCount(h));
  });
});
