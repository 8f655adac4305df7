// The root entry: the TF-free entries (also the package's subpaths ./formats, ./generation, ./hparams),
// then what needs TF.js: backends, the model, the training engine, checkpoints, the fast wasm kernels.
export { type BackendInfo, initBackend } from './backend.js';
export { loadModel, saveModel } from './checkpoint.js';
export { createTrainingEngine } from './engine/engine.js';
export {
  estimateStepMemory,
  fitsWasmHeap,
  type StepMemory,
  WASM_HEAP_BUDGET,
  WASM_HEAP_BYTES,
} from './engine/memory-estimate.js';
export type * from './engine/types.js';
export * from './entry/formats.js';
export * from './entry/generation.js';
export * from './entry/hparams.js';
export { maskedLossSum, type TokenMetrics, tokenMetrics } from './metrics.js';
export { type ForwardOptions, MusicTransformer } from './model.js';
export { readSafetensorsHeader, type SafetensorsHeader } from './safetensors-header.js';
export {
  fastWasmKernelsActive,
  registerFastWasmKernels,
  unregisterFastWasmKernels,
} from './wasm-kernels/register.js';
