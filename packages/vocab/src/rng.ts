import { VocabError } from './errors.js';

/**
 * Seedable PRNG: xoshiro128** (Blackman & Vigna), seeded through splitmix32. It uses only 32-bit integer
 * arithmetic (`Math.imul`, shifts), so the same seed gives the same numbers on every JS engine.
 */
export interface Rng {
  /** Uniform float in [0, 1), 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n), unbiased (rejection sampling); n is a positive safe integer <= 2^32. */
  nextInt(n: number): number;
  /** Raw 32-bit unsigned output. */
  nextUint32(): number;
  /** JSON-serialisable snapshot; `restoreRng(getState())` continues the exact same stream. */
  getState(): RngState;
  /**
   * An independent stream derived from this generator's seed path and `label` (not from its current
   * position), so drawing more numbers here never shifts what a fork produces.
   */
  fork(label: string): Rng;
}

export interface RngState {
  algorithm: 'xoshiro128**';
  /** Identity of the stream (seed plus fork labels); forks derive from it. */
  key: [number, number, number, number];
  /** Current generator state, four uint32 words. */
  s: [number, number, number, number];
}

const TWO_POW_32 = 4294967296;

function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) | 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units: cheap, stable label hash for `fork`. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

function expandKey(key: readonly number[]): [number, number, number, number] {
  const st = { x: (key[0]! ^ Math.imul(key[1]!, 0x27d4eb2f) ^ Math.imul(key[2]!, 0x165667b1)) | 0 };
  st.x = (st.x ^ key[3]!) | 0;
  const s: [number, number, number, number] = [
    splitmix32(st),
    splitmix32(st),
    splitmix32(st),
    splitmix32(st),
  ];
  // xoshiro must not start from the all-zero state (it would stay there forever).
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

class Xoshiro128 implements Rng {
  private readonly key: [number, number, number, number];
  private readonly s: Uint32Array;

  constructor(key: [number, number, number, number], s: readonly number[]) {
    this.key = key;
    this.s = Uint32Array.from(s);
  }

  nextUint32(): number {
    const st = this.s;
    let s0 = st[0]!;
    let s1 = st[1]!;
    let s2 = st[2]!;
    let s3 = st[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    st[0] = s0;
    st[1] = s1;
    st[2] = s2;
    st[3] = s3;
    return result;
  }

  next(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new VocabError('BAD_ARGUMENT', `nextInt: n must be an integer in [1, 2^32], got ${n}`);
    }
    // Reject the top partial bucket so every value in [0, n) is equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      key: [...this.key],
      s: [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!],
    };
  }

  fork(label: string): Rng {
    const h = hashLabel(label);
    const key: [number, number, number, number] = [
      (this.key[0] ^ h) >>> 0,
      (Math.imul(this.key[1], 0x9e3779b1) + h) >>> 0,
      rotl(this.key[2], 13) >>> 0,
      (this.key[3] + 0x632be5ab) >>> 0,
    ];
    return new Xoshiro128(key, expandKey(key));
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Creates a generator from any safe integer seed (0 and negatives included). */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new VocabError('BAD_ARGUMENT', `createRng: seed must be a safe integer, got ${seed}`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  const key: [number, number, number, number] = [lo, hi, 0x5eed5eed, 0];
  return new Xoshiro128(key, expandKey(key));
}

function isUint32Array4(v: unknown): v is [number, number, number, number] {
  return (
    Array.isArray(v) &&
    v.length === 4 &&
    v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < TWO_POW_32)
  );
}

/** Rebuilds a generator from `getState()` output (for example read back from a checkpoint's JSON). */
export function restoreRng(state: unknown): Rng {
  const st = state as Partial<RngState> | null;
  if (
    typeof st !== 'object' ||
    st === null ||
    st.algorithm !== 'xoshiro128**' ||
    !isUint32Array4(st.key) ||
    !isUint32Array4(st.s) ||
    (st.s[0] | st.s[1] | st.s[2] | st.s[3]) === 0
  ) {
    throw new VocabError(
      'BAD_ARGUMENT',
      `restoreRng: expected { algorithm: 'xoshiro128**', key: 4 uint32, s: 4 uint32 not all 0 }, got ${JSON.stringify(state)}`,
    );
  }
  return new Xoshiro128([...st.key], st.s);
}
