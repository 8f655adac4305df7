/**
 * Just enough of the WebAssembly binary format (core spec 2.0, chapter 5, plus the 0xfd SIMD opcodes)
 * to assemble the package's few hand-written kernels without a toolchain. Each kernel module imports
 * the TF.js wasm module's memory as env.memory, so it reads and writes tensors in place.
 */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
/** Signed LEB128, the encoding of i32.const immediates. */
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

export const T = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export const OP = {
  get: 0x20,
  set: 0x21,
  i32const: 0x41,
  add: 0x6a,
  mul: 0x6c,
  geU: 0x4f,
  brIf: 0x0d,
  br: 0x0c,
  end: 0x0b,
} as const;
export const get = (l: number) => [OP.get, l];
export const set = (l: number) => [OP.set, l];
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
/** v128.load / v128.store with a 16-byte alignment hint (a hint only: unaligned addresses work). */
export const v128load = (addr: number[]) => [...addr, ...simd(0x00, 4, 0)];
export const v128store = (addr: number[], value: number[]) => [...addr, ...value, ...simd(0x0b, 4, 0)];
export const SIMD_OP = {
  f32x4Splat: 0x13,
  f32x4Add: 0xe4,
  f32x4Sub: 0xe5,
  f32x4Mul: 0xe6,
  shuffle: 0x0d,
} as const;

/** for (v = start; v < end; v += step) { inner }, with start/end given as instruction sequences. */
export const loop = (v: number, start: number[], end: number[], step: number, inner: number[]): number[] => [
  ...[...start, ...set(v)],
  ...[0x02, 0x40, 0x03, 0x40], // block, loop (void)
  ...[...get(v), ...end, OP.geU, OP.brIf, 1], // leave the block when v >= end
  ...inner,
  ...[...get(v), OP.i32const, ...sleb(step), OP.add, ...set(v)],
  ...[OP.br, 0, OP.end, OP.end], // next iteration, end loop, end block
];

export interface FunctionDef {
  name: string;
  params: number[];
  /** Result types; none when omitted. */
  results?: number[];
  /** Extra locals as [count, type] groups. */
  locals: Array<[number, number]>;
  code: number[];
}

/**
 * The memory a module imports as env.memory. `shared` declares it shared (threads proposal), with the
 * maximum the spec requires of shared memories; such a module instantiates only against a
 * `WebAssembly.Memory({ shared: true, maximum <= maxPages })`, whose buffer worker threads can address too.
 */
export interface MemoryImport {
  shared?: { maxPages: number };
}

/** A module importing env.memory and exporting the given functions by name, in order. */
export function assemble(fns: readonly FunctionDef[], memory: MemoryImport = {}): Uint8Array<ArrayBuffer> {
  const types = fns.map((f) => [
    0x60,
    ...uleb(f.params.length),
    ...f.params,
    ...uleb(f.results?.length ?? 0),
    ...(f.results ?? []),
  ]);
  const bodies = fns.map((f) => {
    const locals = [...uleb(f.locals.length), ...f.locals.flatMap(([n, t]) => [...uleb(n), t])];
    const body = [...locals, ...f.code, OP.end];
    return [...uleb(body.length), ...body];
  });
  // limits: 0x00 min (1 page), or 0x03 min max for a shared memory
  const limits = memory.shared === undefined ? [0x00, 0x01] : [0x03, 0x01, ...uleb(memory.shared.maxPages)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
    ...section(1, [...uleb(fns.length), ...types.flat()]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]), // the memory import
    ...section(3, [...uleb(fns.length), ...fns.flatMap((_, i) => uleb(i))]),
    ...section(7, [...uleb(fns.length), ...fns.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ...section(10, [...uleb(fns.length), ...bodies.flat()]),
  ];
  return new Uint8Array(bytes);
}

const instances = new WeakMap<object, Map<string, WebAssembly.Exports | null>>();

/**
 * Instantiates `bytes` against the memory of a TF.js wasm backend (`backend.wasm.asm.memory`), once per
 * memory and key. Null when that memory is not reachable or the runtime rejects the module (no SIMD).
 */
export function instantiate(
  wasm: unknown,
  key: string,
  bytes: () => Uint8Array<ArrayBuffer>,
): WebAssembly.Exports | null {
  const memory = (wasm as { asm?: { memory?: WebAssembly.Memory } }).asm?.memory;
  if (memory === undefined) return null;
  let byKey = instances.get(memory);
  if (byKey === undefined) {
    byKey = new Map();
    instances.set(memory, byKey);
  }
  let exports = byKey.get(key);
  if (exports === undefined) {
    try {
      exports = new WebAssembly.Instance(new WebAssembly.Module(bytes()), { env: { memory } }).exports;
    } catch {
      exports = null;
    }
    byKey.set(key, exports);
  }
  return exports;
}
