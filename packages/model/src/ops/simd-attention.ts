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
} from '../wasm-kernels/wasm-bytes.js';

/**
 * The inner loops of the fused attention kernels as wasm SIMD (f32x4) over contiguous runs, working in
 * place on the TF.js heap. Offsets are in bytes; n4 counts groups of 4 floats (callers do the tail).
 * - addRun(a, e, o, n4): o[k] = a[k] + e[k]
 * - gradRun(p, dp, r, ds, dqe, n4): v = p[k] * (dp[k] - r); ds[k] = v; dqe[k] = v
 */
export interface SimdAttention {
  addRun(a: number, e: number, o: number, n4: number): void;
  gradRun(p: number, dp: number, r: number, ds: number, dqe: number, n4: number): void;
}

const at = (base: number, c: number) => [...get(base), ...get(c), OP.add];
const f32x4 = (op: number) => simd(op);

function addRun(): number[] {
  const [a, e, o, n4, c, end] = [0, 1, 2, 3, 4, 5];
  const body = v128store(at(o, c), [
    ...v128load(at(a, c)),
    ...v128load(at(e, c)),
    ...f32x4(SIMD_OP.f32x4Add),
  ]);
  return [...get(n4), OP.i32const, 16, OP.mul, ...set(end), ...loop(c, [OP.i32const, 0], get(end), 16, body)];
}

function gradRun(): number[] {
  const [p, dp, r, ds, dqe, n4, c, end, rv, v] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const value = [
    ...v128load(at(p, c)),
    ...[...v128load(at(dp, c)), ...get(rv), ...f32x4(SIMD_OP.f32x4Sub)],
    ...f32x4(SIMD_OP.f32x4Mul),
    ...set(v),
  ];
  const body = [...value, ...v128store(at(ds, c), get(v)), ...v128store(at(dqe, c), get(v))];
  return [
    ...[...get(r), ...f32x4(SIMD_OP.f32x4Splat), ...set(rv)],
    ...[...get(n4), OP.i32const, 16, OP.mul, ...set(end)],
    ...loop(c, [OP.i32const, 0], get(end), 16, body),
  ];
}

const bytes = () =>
  assemble([
    { name: 'addRun', params: [T.i32, T.i32, T.i32, T.i32], locals: [[2, T.i32]], code: addRun() },
    {
      name: 'gradRun',
      params: [T.i32, T.i32, T.f32, T.i32, T.i32, T.i32],
      locals: [
        [2, T.i32],
        [2, T.v128],
      ],
      code: gradRun(),
    },
  ]);

/** The kernels bound to a wasm backend's memory (`backend.wasm`), or null without wasm SIMD. */
export function simdAttention(wasm: unknown): SimdAttention | null {
  const exports = instantiate(wasm, 'attention', bytes);
  if (exports === null) return null;
  return {
    addRun: exports.addRun as SimdAttention['addRun'],
    gradRun: exports.gradRun as SimdAttention['gradRun'],
  };
}
