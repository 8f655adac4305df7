/**
 * The module layer of the package's one WebAssembly assembler (function-writer.ts writes the function
 * bodies): just enough of the binary format (core spec 2.0, chapter 5) to emit the few hand-written
 * kernels without a toolchain. Every module imports its memory as env.memory: the TF.js heap for the
 * training kernels, a memory of its own for the generation kernels.
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
    const body = [...locals, ...f.code, 0x0b]; // end
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
