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
