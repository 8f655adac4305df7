import { describe, expect, it } from 'vitest';
import { ModelError, type ModelErrorCode } from './errors.js';
import { decodeSafetensors, encodeSafetensors, toFloat32 } from './safetensors.js';

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('safetensors codec', () => {
  it('round-trips every written dtype bit-exactly, with metadata', () => {
    const f32 = new Float32Array([0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e-45, -3.4e38]);
    const tensors = {
      a: { dtype: 'F32' as const, shape: [7], data: f32 },
      b: { dtype: 'U16' as const, shape: [2, 2], data: new Uint16Array([0, 1, 415, 65535]) },
      c: { dtype: 'I32' as const, shape: [1, 3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) },
      d: { dtype: 'I64' as const, shape: [2], data: new BigInt64Array([-5n, 2n ** 40n]) },
      e: { dtype: 'U8' as const, shape: [0], data: new Uint8Array(0) },
    };
    const bytes = encodeSafetensors(tensors, { hparams: '{"d_model":4}', note: 'ü' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLen) % 8).toBe(0); // data starts 8-byte aligned, as the Rust crate writes it
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ hparams: '{"d_model":4}', note: 'ü' });
    expect(bits(back.tensors.get('a')!.data as Float32Array)).toEqual(bits(f32));
    expect(Array.from(back.tensors.get('b')!.data as Uint16Array)).toEqual([0, 1, 415, 65535]);
    expect(back.tensors.get('b')!.shape).toEqual([2, 2]);
    expect(Array.from(back.tensors.get('c')!.data as Int32Array)).toEqual([-1, 0, 2 ** 31 - 1]);
    expect(Array.from(back.tensors.get('d')!.data as BigInt64Array)).toEqual([-5n, 2n ** 40n]);
    expect(back.tensors.get('e')!.data.length).toBe(0);
  });

  it('reads F16 and BF16 words as float32', () => {
    // 0x3c00 = 1, 0xc000 = -2, 0x7bff = 65504, 0x0001 = 2^-24 (subnormal); BF16 0x3fc0 = 1.5
    const half = {
      dtype: 'F16' as const,
      shape: [4],
      data: new Uint16Array([0x3c00, 0xc000, 0x7bff, 0x0001]),
    };
    expect(Array.from(toFloat32(half))).toEqual([1, -2, 65504, 2 ** -24]);
    const bf = { dtype: 'BF16' as const, shape: [2], data: new Uint16Array([0x3fc0, 0xbf80]) };
    expect(Array.from(toFloat32(bf))).toEqual([1.5, -1]);
  });

  it('refuses malformed files with a message naming the file and tensor', () => {
    const good = encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
    const expectBad = (bytes: Uint8Array, pattern: RegExp, code: ModelErrorCode = 'BAD_SAFETENSORS') => {
      try {
        decodeSafetensors(bytes, 'x.safetensors');
        expect.unreachable();
      } catch (e) {
        expect((e as ModelError).code).toBe(code);
        expect((e as Error).message).toMatch(pattern);
      }
    };
    expectBad(new Uint8Array(3), /x\.safetensors: not a safetensors file/, 'NOT_SAFETENSORS');
    expectBad(
      good.slice(0, good.length - 4),
      /x\.safetensors: tensor 'w' data_offsets \[0, 8\] outside 4 data bytes/,
    );
    const wrongShape = encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
    const text = new TextDecoder().decode(wrongShape).replace('"shape":[2]', '"shape":[3]');
    expectBad(new TextEncoder().encode(text), /tensor 'w' has 8 bytes but F32 \[3\] needs 12/);
    const big = new Uint8Array(16);
    new DataView(big.buffer).setBigUint64(0, 1000n, true);
    expectBad(big, /header length 1000 does not fit/, 'NOT_SAFETENSORS');
  });

  it('refuses tensors whose data does not fit the declared dtype and shape', () => {
    expect(() => encodeSafetensors({ w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(
      ModelError,
    );
    expect(() => encodeSafetensors({ w: { dtype: 'I32', shape: [2], data: new Float32Array(2) } })).toThrow(
      /do not fit I32/,
    );
  });
});
