import type { MemoryImport } from '../../wasm/binary.js';
import { FunctionWriter, writeModule } from '../../wasm/function-writer.js';

// The vector kernels of the cached decoder as WebAssembly SIMD (f32x4). Every argument is an i32: byte
// addresses into the imported memory, or counts. ../kernels.ts documents each kernel and holds the
// plain-JS versions they must agree with (kernels.test.ts checks that they do).

/**
 * Emits one 4-row block of a Linear: with `weights` pushing the address of weight row r, `input` the address
 * of the input vector and `output` the address of y's element r, writes y[r + i] = b[r + i] + (row r + i . x)
 * for i < 4. Four rows share each load of x. Needs the locals r, rowBytes, p0-p3, xp, xend (i32) and
 * a0-a3, xv (v128).
 */
function fourRows(
  g: FunctionWriter,
  weights: (g: FunctionWriter) => void,
  input: (g: FunctionWriter) => void,
  output: (g: FunctionWriter) => void,
): void {
  for (const a of ['a0', 'a1', 'a2', 'a3']) g.zeroV128().set(a);
  weights(g);
  g.set('p0');
  g.get('p0').get('rowBytes').op('i32.add').set('p1');
  g.get('p1').get('rowBytes').op('i32.add').set('p2');
  g.get('p2').get('rowBytes').op('i32.add').set('p3');
  input(g);
  g.set('xp');
  g.get('xp').get('rowBytes').op('i32.add').set('xend');
  g.loopUntil(
    (k) => k.get('xp').get('xend').op('i32.ge_u'),
    (k) => {
      k.get('xp').loadV128().set('xv');
      for (const i of [0, 1, 2, 3]) {
        k.get(`a${i}`).get(`p${i}`).loadV128().get('xv').simd('f32x4.mul').simd('f32x4.add').set(`a${i}`);
        k.bump(`p${i}`, 16);
      }
      k.bump('xp', 16);
    },
  );
  for (const i of [0, 1, 2, 3]) {
    output(g); // address of y[r]
    g.get('b')
      .get('r')
      .i32(2)
      .op('i32.shl')
      .op('i32.add')
      .loadF32(4 * i); // b[r + i]
    g.get(`a${i}`).lane(0).get(`a${i}`).lane(1).op('f32.add');
    g.get(`a${i}`).lane(2).get(`a${i}`).lane(3).op('f32.add').op('f32.add');
    g.op('f32.add').storeF32(4 * i);
  }
}

const LINEAR_LOCALS = ['r', 'rowBytes', 'p0', 'p1', 'p2', 'p3', 'xp', 'xend'] as const;
const LINEAR_VECTORS = ['a0', 'a1', 'a2', 'a3', 'xv'] as const;

/** y[r] = b[r] + sum_c w[r*cols + c] * x[c]; rows % 4 == 0, cols % 4 == 0. Four rows at a time share x. */
function linear(): FunctionWriter {
  const f = new FunctionWriter('linear', ['w', 'b', 'x', 'y', 'rows', 'cols']);
  for (const n of LINEAR_LOCALS) f.local(n, 'i32');
  for (const n of LINEAR_VECTORS) f.local(n, 'v128');
  f.get('cols').i32(2).op('i32.shl').set('rowBytes');
  f.i32(0).set('r');
  f.loopUntil(
    (g) => g.get('r').get('rows').op('i32.ge_u'),
    (g) => {
      fourRows(
        g,
        (k) => k.get('w').get('r').get('rowBytes').op('i32.mul').op('i32.add'),
        (k) => k.get('x'),
        (k) => k.get('y').get('r').i32(2).op('i32.shl').op('i32.add'),
      );
      g.bump('r', 4);
    },
  );
  return f;
}

/**
 * The same Linear on n vectors: y[t*rows + r] = b[r] + sum_c w[r*cols + c] * x[t*cols + c]. The four weight
 * rows of a block stay in L1 while every vector passes, so the weights stream from memory once per call
 * instead of once per token (prefill of a primer or a slid window).
 */
function linearBatch(): FunctionWriter {
  const f = new FunctionWriter('linearBatch', ['w', 'b', 'x', 'y', 'rows', 'cols', 'n']);
  for (const n of [...LINEAR_LOCALS, 't', 'w0']) f.local(n, 'i32');
  for (const n of LINEAR_VECTORS) f.local(n, 'v128');
  f.get('cols').i32(2).op('i32.shl').set('rowBytes');
  f.i32(0).set('r');
  f.loopUntil(
    (g) => g.get('r').get('rows').op('i32.ge_u'),
    (g) => {
      g.get('w').get('r').get('rowBytes').op('i32.mul').op('i32.add').set('w0');
      g.i32(0).set('t');
      g.loopUntil(
        (k) => k.get('t').get('n').op('i32.ge_u'),
        (k) => {
          fourRows(
            k,
            (m) => m.get('w0'),
            (m) => m.get('x').get('t').get('rowBytes').op('i32.mul').op('i32.add'),
            // address of y[t*rows + r]
            (m) =>
              m
                .get('y')
                .get('t')
                .get('rows')
                .op('i32.mul')
                .get('r')
                .op('i32.add')
                .i32(2)
                .op('i32.shl')
                .op('i32.add'),
          );
          k.bump('t', 1);
        },
      );
      g.bump('r', 4);
    },
  );
  return f;
}

/**
 * y[j] = (acc ? y[j] : 0) + sum_{c < k} a[c] * m[c*ldm + j] for j < n; n % 16 == 0. Sixteen columns per pass,
 * so every multiply-add is vertical: no horizontal sums, contiguous loads along each row of m.
 */
function colDots(): FunctionWriter {
  const f = new FunctionWriter('colDots', ['a', 'm', 'ldm', 'y', 'n', 'k', 'acc']);
  for (const n of ['jb', 'jend', 'ap', 'aend', 'mp', 'ldmBytes']) f.local(n, 'i32');
  for (const n of ['s0', 's1', 's2', 's3', 'av']) f.local(n, 'v128');
  f.get('ldm').i32(2).op('i32.shl').set('ldmBytes');
  f.get('a').get('k').i32(2).op('i32.shl').op('i32.add').set('aend');
  f.i32(0).set('jb');
  f.get('n').i32(2).op('i32.shl').set('jend');
  f.loopUntil(
    (g) => g.get('jb').get('jend').op('i32.ge_u'),
    (g) => {
      g.get('acc').ifElse(
        (t) => {
          for (const i of [0, 1, 2, 3])
            t.get('y')
              .get('jb')
              .op('i32.add')
              .loadV128(16 * i)
              .set(`s${i}`);
        },
        (t) => {
          for (const i of [0, 1, 2, 3]) t.zeroV128().set(`s${i}`);
        },
      );
      g.get('a').set('ap');
      g.get('m').get('jb').op('i32.add').set('mp');
      g.loopUntil(
        (k) => k.get('ap').get('aend').op('i32.ge_u'),
        (k) => {
          k.get('ap').loadSplat().set('av');
          for (const i of [0, 1, 2, 3]) {
            k.get(`s${i}`)
              .get('av')
              .get('mp')
              .loadV128(16 * i)
              .simd('f32x4.mul')
              .simd('f32x4.add')
              .set(`s${i}`);
          }
          k.bump('ap', 4);
          k.get('mp').get('ldmBytes').op('i32.add').set('mp');
        },
      );
      for (const i of [0, 1, 2, 3])
        g.get('y')
          .get('jb')
          .op('i32.add')
          .get(`s${i}`)
          .storeV128(16 * i);
      g.bump('jb', 64);
    },
  );
  return f;
}

/** out[c] = sum_{j < n} p[j] * m[c*ldm + j] for c < rows; n % 16 == 0. One contiguous dot product per row. */
function rowDots(): FunctionWriter {
  const f = new FunctionWriter('rowDots', ['p', 'm', 'ldm', 'out', 'rows', 'n']);
  for (const n of ['c', 'pp', 'pend', 'mp']) f.local(n, 'i32');
  for (const n of ['s0', 's1', 's2', 's3']) f.local(n, 'v128');
  f.get('p').get('n').i32(2).op('i32.shl').op('i32.add').set('pend');
  f.i32(0).set('c');
  f.loopUntil(
    (g) => g.get('c').get('rows').op('i32.ge_u'),
    (g) => {
      for (const i of [0, 1, 2, 3]) g.zeroV128().set(`s${i}`);
      g.get('p').set('pp');
      g.get('m').get('c').get('ldm').op('i32.mul').i32(2).op('i32.shl').op('i32.add').set('mp');
      g.loopUntil(
        (k) => k.get('pp').get('pend').op('i32.ge_u'),
        (k) => {
          for (const i of [0, 1, 2, 3]) {
            k.get(`s${i}`)
              .get('pp')
              .loadV128(16 * i)
              .get('mp')
              .loadV128(16 * i);
            k.simd('f32x4.mul').simd('f32x4.add').set(`s${i}`);
          }
          k.bump('pp', 64).bump('mp', 64);
        },
      );
      g.get('s0')
        .get('s1')
        .simd('f32x4.add')
        .get('s2')
        .get('s3')
        .simd('f32x4.add')
        .simd('f32x4.add')
        .set('s0');
      g.get('out').get('c').i32(2).op('i32.shl').op('i32.add');
      g.get('s0').lane(0).get('s0').lane(1).op('f32.add');
      g.get('s0').lane(2).get('s0').lane(3).op('f32.add').op('f32.add');
      g.storeF32();
      g.bump('c', 1);
    },
  );
  return f;
}

/** ln 2 split for the range reduction: a head exact in float32 (its low mantissa bits are zero) and the rest. */
const LN2_HI = 0.693145751953125;
const LN2_LO = Math.LN2 - LN2_HI;

/**
 * x[j] = exp(x[j] - max_j x[j]) for j < n (n % 4 == 0), returns the sum. exp by range reduction,
 * x = k ln2 + r with |r| <= ln2/2, e^r by its degree-6 Taylor polynomial (relative error < 2e-7), and 2^k
 * built in the exponent bits. Arguments are clamped at -87 (e^-87 ~ 1.6e-38), so -Infinity padding gives ~0.
 */
function expShifted(): FunctionWriter {
  const f = new FunctionWriter('expShifted', ['x', 'n'], 'f32');
  for (const n of ['xp', 'xend']) f.local(n, 'i32');
  for (const n of ['mx', 'v', 'kf', 'sum']) f.local(n, 'v128');
  f.get('x').get('n').i32(2).op('i32.shl').op('i32.add').set('xend');
  f.constF32x4(Number.NEGATIVE_INFINITY).set('mx');
  f.get('x').set('xp');
  f.loopUntil(
    (g) => g.get('xp').get('xend').op('i32.ge_u'),
    (g) => {
      g.get('mx').get('xp').loadV128().simd('f32x4.max').set('mx');
      g.bump('xp', 16);
    },
  );
  f.get('mx')
    .lane(0)
    .get('mx')
    .lane(1)
    .op('f32.max')
    .get('mx')
    .lane(2)
    .get('mx')
    .lane(3)
    .op('f32.max')
    .op('f32.max');
  f.simd('f32x4.splat').set('mx');
  f.zeroV128().set('sum');
  f.get('x').set('xp');
  f.loopUntil(
    (g) => g.get('xp').get('xend').op('i32.ge_u'),
    (g) => {
      g.get('xp').loadV128().get('mx').simd('f32x4.sub').constF32x4(-87).simd('f32x4.max').set('v');
      g.get('v').constF32x4(Math.LOG2E).simd('f32x4.mul').simd('f32x4.nearest').set('kf');
      // r = v - k*ln2, with ln2 split in a part exact in float32 and the rest (Cody-Waite)
      g.get('v').get('kf').constF32x4(LN2_HI).simd('f32x4.mul').simd('f32x4.sub');
      g.get('kf').constF32x4(LN2_LO).simd('f32x4.mul').simd('f32x4.sub').set('v');
      g.constF32x4(1 / 720);
      for (const c of [1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1]) {
        g.get('v').simd('f32x4.mul').constF32x4(c).simd('f32x4.add');
      }
      // times 2^k: (k + 127) << 23 is the float 2^k, k in [-126, 0] after the clamp
      g.get('kf').simd('i32x4.trunc_sat_f32x4_s').i32(127).simd('i32x4.splat').simd('i32x4.add');
      g.i32(23).simd('i32x4.shl').simd('f32x4.mul').set('v');
      g.get('xp').get('v').storeV128();
      g.get('sum').get('v').simd('f32x4.add').set('sum');
      g.bump('xp', 16);
    },
  );
  f.get('sum')
    .lane(0)
    .get('sum')
    .lane(1)
    .op('f32.add')
    .get('sum')
    .lane(2)
    .get('sum')
    .lane(3)
    .op('f32.add')
    .op('f32.add');
  return f;
}

/**
 * The kernel module's bytes (about a kilobyte; compiled once per process). A shared memory import is for
 * measurements that split the work over threads (bench/generate-floor.mjs); the decoder uses a private one.
 */
export function kernelModuleBytes(memory: MemoryImport = {}): Uint8Array<ArrayBuffer> {
  return writeModule([linear(), linearBatch(), colDots(), rowDots(), expShifted()], memory);
}
