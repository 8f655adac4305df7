import type { WasmBackendLike } from './heap.js';
import {
  assemble,
  get,
  instantiate,
  loop,
  OP,
  SIMD_OP,
  set,
  simd,
  T,
  v128load,
  v128store,
} from './wasm-bytes.js';

/**
 * A 4x4-block SIMD transpose assembled from hand-written WebAssembly (wasm-bytes.ts). It imports the
 * TF.js wasm module's own memory, so it works in place on the heap: no copies in or out. The JS tile
 * loop costs ~3-4 ns per element (cache-set conflicts on 4 KB strides, scalar moves); four v128 loads,
 * eight shuffles and four stores per 4x4 block are about twice as fast. Used for float32 matrices whose
 * rows and columns are multiples of 4.
 *
 * transpose(src, dst, rows, cols, i0, i1, j0, j1): byte offsets src/dst of [rows, cols] and [cols, rows]
 * matrices; transposes the tile rows [i0, i1) x columns [j0, j1) (all multiples of 4).
 */
export type SimdTranspose = (
  src: number,
  dst: number,
  rows: number,
  cols: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
) => void;

/** i8x16.shuffle picking 32-bit lanes: indexes 0-3 from the first operand, 4-7 from the second. */
const shuffle32 = (x: number, y: number, lanes: number[], out: number) => [
  ...get(x),
  ...get(y),
  ...simd(SIMD_OP.shuffle, ...lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3])),
  ...set(out),
];
/** addr + k * stride, with addr and stride locals. */
const plus = (addr: number, k: number, stride: number) =>
  k === 0 ? get(addr) : [...get(addr), ...get(stride), OP.i32const, k, OP.mul, OP.add];

function code(): number[] {
  // params 0-7: src dst rows cols i0 i1 j0 j1; i32 locals i j a d cs rs; v128 locals r0..r3 t0..t3
  const [src, dst, rows, cols, i0, i1, j0, j1, i, j, a, d, cs, rs] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  ];
  const [r0, r1, r2, r3, t0, t1, t2, t3] = [14, 15, 16, 17, 18, 19, 20, 21];
  const { i32const, mul, add } = OP;
  const addresses = [
    ...[...get(src), ...get(i), ...get(cs), mul, add, ...get(j), i32const, 4, mul, add, ...set(a)], // a = src + i*cs + 4j
    ...[...get(dst), ...get(j), ...get(rs), mul, add, ...get(i), i32const, 4, mul, add, ...set(d)], // d = dst + j*rs + 4i
  ];
  const loads = [r0, r1, r2, r3].flatMap((r, k) => [...v128load(plus(a, k, cs)), ...set(r)]); // rows a, b, c, d
  const shuffles = [
    ...[...shuffle32(r0, r1, [0, 4, 1, 5], t0), ...shuffle32(r0, r1, [2, 6, 3, 7], t1)], // a0 b0 a1 b1 | a2 b2 a3 b3
    ...[...shuffle32(r2, r3, [0, 4, 1, 5], t2), ...shuffle32(r2, r3, [2, 6, 3, 7], t3)], // c0 d0 c1 d1 | c2 d2 c3 d3
    ...[...shuffle32(t0, t2, [0, 1, 4, 5], r0), ...shuffle32(t0, t2, [2, 3, 6, 7], r1)], // a0 b0 c0 d0 | a1 b1 c1 d1
    ...[...shuffle32(t1, t3, [0, 1, 4, 5], r2), ...shuffle32(t1, t3, [2, 3, 6, 7], r3)], // a2 b2 c2 d2 | a3 b3 c3 d3
  ];
  const stores = [r0, r1, r2, r3].flatMap((r, k) => v128store(plus(d, k, rs), get(r))); // columns -> rows
  const block4x4 = [...addresses, ...loads, ...shuffles, ...stores];
  const head = [...get(cols), i32const, 4, mul, ...set(cs), ...get(rows), i32const, 4, mul, ...set(rs)];
  // Destination-major order (j outer, i inner): each group of 4 destination rows is written as one
  // contiguous run per tile. For [8, 1024, 1024]: 17-18 ms CPU against 21 ms source-major and 32-39 ms
  // for the JS tiles (measured here under load, so roughly).
  return [...head, ...loop(j, get(j0), get(j1), 4, loop(i, get(i0), get(i1), 4, block4x4))];
}

const bytes = () =>
  assemble([
    {
      name: 'transpose',
      params: new Array<number>(8).fill(T.i32),
      locals: [
        [6, T.i32],
        [8, T.v128],
      ],
      code: code(),
    },
  ]);

/** The SIMD transpose bound to this backend's memory, or null when the runtime lacks wasm SIMD. */
export function simdTranspose(backend: WasmBackendLike): SimdTranspose | null {
  const exports = instantiate(backend.wasm, 'transpose', bytes);
  return exports === null ? null : (exports.transpose as SimdTranspose);
}
