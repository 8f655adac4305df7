import { FunctionWriter, writeModule } from '../wasm/function-writer.js';
import { instantiate } from '../wasm-kernels/instantiate.js';

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

/** Pushes base + c (byte addresses). */
const at = (f: FunctionWriter, base: string) => f.get(base).get('c').op('i32.add');

/** Runs `body` for c = 0, 16, ... while c < n4 * 16 (one v128 of 4 floats per pass). */
function overRun(f: FunctionWriter, body: (f: FunctionWriter) => void): void {
  f.get('n4').i32(16).op('i32.mul').set('end');
  f.i32(0).set('c');
  f.loopUntil(
    (g) => g.get('c').get('end').op('i32.ge_u'),
    (g) => {
      body(g);
      g.bump('c', 16);
    },
  );
}

function addRun(): FunctionWriter {
  const f = new FunctionWriter('addRun', ['a', 'e', 'o', 'n4']).local('c', 'i32').local('end', 'i32');
  overRun(f, (g) => {
    at(g, 'o');
    at(g, 'a').loadV128();
    at(g, 'e').loadV128();
    g.simd('f32x4.add').storeV128();
  });
  return f;
}

function gradRun(): FunctionWriter {
  const f = new FunctionWriter('gradRun', ['p', 'dp', { name: 'r', type: 'f32' }, 'ds', 'dqe', 'n4'])
    .local('c', 'i32')
    .local('end', 'i32')
    .local('rv', 'v128')
    .local('v', 'v128');
  f.get('r').simd('f32x4.splat').set('rv');
  overRun(f, (g) => {
    at(g, 'p').loadV128();
    at(g, 'dp').loadV128().get('rv').simd('f32x4.sub');
    g.simd('f32x4.mul').set('v');
    at(g, 'ds').get('v').storeV128();
    at(g, 'dqe').get('v').storeV128();
  });
  return f;
}

const bytes = () => writeModule([addRun(), gradRun()]);

/** The kernels bound to a wasm backend's memory (`backend.wasm`), or null without wasm SIMD. */
export function simdAttention(wasm: unknown): SimdAttention | null {
  const exports = instantiate(wasm, 'attention', bytes);
  if (exports === null) return null;
  return {
    addRun: exports.addRun as SimdAttention['addRun'],
    gradRun: exports.gradRun as SimdAttention['gradRun'],
  };
}
