// The package's one WebAssembly assembler, function layer: every hand-written kernel (the cached decoder's
// and the training backend's) is written through FunctionWriter and emitted by `writeModule`, without a
// toolchain (no wat2wasm, no emscripten, nothing downloaded at build time). The encoding follows the
// WebAssembly core spec 2.0 (binary format, chapter 5) and the fixed-width SIMD opcodes (0xfd prefix).

import { assemble, type FunctionDef, type MemoryImport, sleb, uleb } from './binary.js';

export type ValType = 'i32' | 'f32' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

/** Plain opcodes used by the kernels (core spec 5.4). */
const OP = {
  'i32.add': 0x6a,
  'i32.sub': 0x6b,
  'i32.mul': 0x6c,
  'i32.shl': 0x74,
  'i32.lt_u': 0x49,
  'i32.ge_u': 0x4f,
  'i32.eqz': 0x45,
  'f32.add': 0x92,
  'f32.mul': 0x94,
  'f32.max': 0x97,
} as const;

/** SIMD opcodes after the 0xfd prefix (SIMD spec, binary encoding). */
const SIMD = {
  'i32x4.splat': 0x11,
  'f32x4.splat': 0x13,
  'f32x4.nearest': 0x6a,
  'i32x4.shl': 0xab,
  'i32x4.add': 0xae,
  'f32x4.add': 0xe4,
  'f32x4.sub': 0xe5,
  'f32x4.mul': 0xe6,
  'f32x4.max': 0xe9,
  'i32x4.trunc_sat_f32x4_s': 0xf8,
} as const;

/** Builds one function body; locals are addressed by name. Control flow is structured as in the text format. */
export class FunctionWriter {
  readonly code: number[] = [];
  private readonly index = new Map<string, number>();
  private readonly extra: ValType[] = [];

  private readonly paramTypes: ValType[];

  /** Parameters are i32 (pointers and counts) unless given as `{ name, type }`. */
  constructor(
    readonly name: string,
    readonly params: readonly (string | { name: string; type: ValType })[],
    readonly result: ValType | null = null,
  ) {
    this.paramTypes = params.map((p) => (typeof p === 'string' ? 'i32' : p.type));
    for (const [i, p] of params.entries()) this.index.set(typeof p === 'string' ? p : p.name, i);
  }

  local(name: string, type: ValType): this {
    this.index.set(name, this.params.length + this.extra.length);
    this.extra.push(type);
    return this;
  }

  private idx(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`wasm writer: unknown local '${name}' in ${this.name}`);
    return i;
  }

  get(name: string): this {
    this.code.push(0x20, ...uleb(this.idx(name)));
    return this;
  }
  set(name: string): this {
    this.code.push(0x21, ...uleb(this.idx(name)));
    return this;
  }
  i32(value: number): this {
    this.code.push(0x41, ...sleb(value));
    return this;
  }
  op(name: keyof typeof OP): this {
    this.code.push(OP[name]);
    return this;
  }
  simd(name: keyof typeof SIMD): this {
    this.code.push(0xfd, ...uleb(SIMD[name]));
    return this;
  }
  /** v128.const of four zero lanes. */
  zeroV128(): this {
    this.code.push(0xfd, ...uleb(0x0c), ...new Array(16).fill(0));
    return this;
  }
  /** v128.const with the same f32 in all four lanes. */
  constF32x4(value: number): this {
    const lane = new Uint8Array(Float32Array.of(value).buffer);
    this.code.push(0xfd, ...uleb(0x0c), ...lane, ...lane, ...lane, ...lane);
    return this;
  }
  f32(value: number): this {
    this.code.push(0x43, ...new Uint8Array(Float32Array.of(value).buffer));
    return this;
  }
  /** i8x16.shuffle picking 32-bit lanes of the two v128 on the stack: 0-3 from the first, 4-7 from the second. */
  shuffle32(lanes: readonly [number, number, number, number]): this {
    this.code.push(0xfd, ...uleb(0x0d), ...lanes.flatMap((l) => [l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3]));
    return this;
  }
  /** f32x4.extract_lane. */
  lane(i: number): this {
    this.code.push(0xfd, ...uleb(0x1f), i);
    return this;
  }
  /** v128.load / f32.load / f32.store with a constant byte offset (alignment hint 4 bytes). */
  loadV128(offset = 0): this {
    this.code.push(0xfd, ...uleb(0x00), 2, ...uleb(offset));
    return this;
  }
  /** v128.load32_splat: one float from memory into all four lanes. */
  loadSplat(offset = 0): this {
    this.code.push(0xfd, ...uleb(0x09), 2, ...uleb(offset));
    return this;
  }
  loadF32(offset = 0): this {
    this.code.push(0x2a, 2, ...uleb(offset));
    return this;
  }
  storeF32(offset = 0): this {
    this.code.push(0x38, 2, ...uleb(offset));
    return this;
  }
  storeV128(offset = 0): this {
    this.code.push(0xfd, ...uleb(0x0b), 2, ...uleb(offset));
    return this;
  }
  /** `local += step` for an i32 local. */
  bump(name: string, step: number): this {
    return this.get(name).i32(step).op('i32.add').set(name);
  }
  /** block { loop { <exit test pushes i32: leave when non-zero>; body; br 0 } } */
  loopUntil(exitTest: (f: this) => void, body: (f: this) => void): this {
    this.code.push(0x02, 0x40, 0x03, 0x40);
    exitTest(this);
    this.code.push(0x0d, 1); // br_if 1: out of the block
    body(this);
    this.code.push(0x0c, 0, 0x0b, 0x0b); // br 0 (next iteration), end loop, end block
    return this;
  }
  /** if (top of stack != 0) { then } else { otherwise } */
  ifElse(then: (f: this) => void, otherwise?: (f: this) => void): this {
    this.code.push(0x04, 0x40);
    then(this);
    if (otherwise !== undefined) {
      this.code.push(0x05);
      otherwise(this);
    }
    this.code.push(0x0b);
    return this;
  }

  /** The function for `assemble`: its parameters, result, named locals in declaration order, code. */
  definition(): FunctionDef {
    return {
      name: this.name,
      params: this.paramTypes.map((t) => VALTYPE[t]),
      results: this.result === null ? [] : [VALTYPE[this.result]],
      locals: this.extra.map((t) => [1, VALTYPE[t]]),
      code: this.code,
    };
  }
}

/** A module that imports its memory as env.memory and exports every function by name. */
export function writeModule(
  functions: readonly FunctionWriter[],
  memory: MemoryImport = {},
): Uint8Array<ArrayBuffer> {
  return assemble(
    functions.map((f) => f.definition()),
    memory,
  );
}
