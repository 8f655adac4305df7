export { type BackendInfo, initBackend } from './backend.js';
export { BACKEND_CHOICES, type BackendChoice } from './backend-choice.js';
export { loadModel, saveModel } from './checkpoint.js';
export { createTrainingEngine } from './engine/engine.js';
export type {
  EngineState,
  EvalResult,
  StepOptions,
  StepResult,
  TokenBatch,
  TrainingEngine,
  TrainingEngineOptions,
} from './engine/types.js';
export { ModelError, type ModelErrorCode } from './errors.js';
export type { KernelChoice } from './generation/decoder.js';
// generation
export {
  createGenerator,
  type GenerateOptions,
  type GenerateResult,
  type Generator,
  type GeneratorOptions,
  type GeneratorSource,
  type SessionOptions,
  type StopReason,
} from './generation/generator.js';
export { simdSupported } from './generation/kernels.js';
export { GenerationSession, type SessionInit, type WindowPolicy } from './generation/session.js';
export type { GenerationVocab } from './generation/vocab-info.js';
export {
  type HParamPresetName,
  type HParams,
  type HParamsInput,
  HParamsSchema,
  hparamPresetNames,
  hparamPresets,
  parseHParams,
} from './hparams.js';
export { maskedLossSum, type TokenMetrics, tokenMetrics } from './metrics.js';
export { type ForwardOptions, MusicTransformer } from './model.js';
export { type LoadModelOptions, MODEL_FORMAT, type ModelFile, readModelFile } from './model-file.js';
export { checkWeights, type ParamSpec, paramCount, paramSpecs } from './params.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsData,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsTensor,
  type SafetensorsTensorInfo,
  toFloat32,
} from './safetensors.js';
export { readSafetensorsHeader, type SafetensorsHeader } from './safetensors-header.js';
export { buildProcessors } from './sampling/build.js';
export { argmax, chooseToken, sampleCategorical } from './sampling/choose.js';
export { defaultSampling, parseSamplingOptions } from './sampling/config.js';
export { endNotBefore, musicGrammar, type NoteRanges, NoteTracker } from './sampling/grammar.js';
export {
  applyProcessors,
  suppressIds,
  suppressSpecials,
  temperature,
  topK,
  topP,
} from './sampling/processors.js';
export type { LogitsProcessor, SamplingConfig, SamplingMode, SamplingOptions } from './sampling/types.js';
export {
  fastWasmKernelsActive,
  registerFastWasmKernels,
  unregisterFastWasmKernels,
} from './wasm-kernels/register.js';
