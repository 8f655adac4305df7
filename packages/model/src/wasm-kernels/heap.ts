import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The parts of the wasm backend (BackendWasm in @tensorflow/tfjs-backend-wasm 4.22) that the fast
 * kernels touch. They are internal to TF.js, so they are typed here once, narrowly, instead of `any`.
 */
export interface WasmModuleLike {
  HEAPU8: Uint8Array;
  cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
  };
}

export interface WasmBackendLike {
  wasm: WasmModuleLike;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
}

/** Byte offset of a tensor's data on the wasm heap. */
export function heapOffset(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** Backend-side id (the number XNNPACK and the C++ registry know the tensor by). */
export function heapId(backend: WasmBackendLike, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).id;
}

/**
 * Registers a zero-copy view of `size` floats at `byteOffset` with the C++ side and returns its id.
 * Free it with `dropView`: that removes the registry entry (and any XNNPACK operator cached for it)
 * without freeing the memory, which belongs to the tensor it points into.
 */
export function makeView(backend: WasmBackendLike, byteOffset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, byteOffset);
  return id;
}

export function dropView(backend: WasmBackendLike, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}
