import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

describe('decodeSafetensors on a Node Buffer', () => {
  it('gives each tensor its own values, not a view of the whole file (Buffer.slice does not copy)', () => {
    const a = Float32Array.of(1, 2, 3);
    const b = Float32Array.of(4, 5);
    const bytes = encodeSafetensors(
      new Map([
        ['a', { dtype: 'F32', shape: [3], data: a }],
        ['b', { dtype: 'F32', shape: [2], data: b }],
      ]),
      {},
    );
    const { tensors } = decodeSafetensors(Buffer.from(bytes), 'buffer.safetensors');
    expect(Array.from(tensors.get('a')!.data as Float32Array)).toEqual([1, 2, 3]);
    expect(Array.from(tensors.get('b')!.data as Float32Array)).toEqual([4, 5]);
  });
});
