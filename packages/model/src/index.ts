export { type BackendChoice, type BackendInfo, initBackend } from './backend.js';
export {
  checkModelTensors,
  hparamsOfMetadata,
  type LoadModelOptions,
  loadModel,
  MODEL_FORMAT,
  type ModelFile,
  readModelFile,
  saveModel,
} from './checkpoint.js';
export { createTrainingEngine } from './engine/engine.js';
export {
  estimateStepMemory,
  fitsWasmHeap,
  type StepMemory,
  WASM_HEAP_BUDGET,
  WASM_HEAP_BYTES,
} from './engine/memory-estimate.js';
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
  DEFAULT_MAX_TOKENS,
  type GenerateOptions,
  type GenerateResult,
  type Generator,
  type GeneratorOptions,
  type GeneratorSource,
  GUARD_TOKENS_PER_SECOND,
  resolveLimits,
  type SessionOptions,
  type StopReason,
} from './generation/generator.js';
export { RELEASE_TAIL_MS, releaseTail } from './generation/release-tail.js';
export {
  GenerationSession,
  type LimitReason,
  type PieceLimits,
  type SessionInit,
  type WindowPolicy,
} from './generation/session.js';
export type { GenerationVocab } from './generation/vocab-info.js';
export {
  countParameters,
  HPARAM_BOUNDS,
  type HParamPresetName,
  type HParams,
  type HParamsInput,
  HParamsSchema,
  hparamPresets,
  parseHParams,
} from './hparams.js';
export { maskedLossSum, type TokenMetrics, tokenMetrics } from './metrics.js';
export { checkWeights, type ForwardOptions, MusicTransformer } from './model.js';
export { type ParamSpec, paramCount, paramSpecs } from './params.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  openSafetensors,
  type SafetensorsData,
  type SafetensorsDtype,
  type SafetensorsFile,
  type SafetensorsLayout,
  type SafetensorsTensor,
  type SafetensorsTensorInfo,
  toFloat32,
} from './safetensors.js';
export { readSafetensorsHeader, type SafetensorsHeader } from './safetensors-header.js';
export { buildProcessors } from './sampling/build.js';
export { argmax, chooseToken, sampleCategorical } from './sampling/choose.js';
export { defaultSampling, parseSamplingOptions } from './sampling/config.js';
export {
  DEFAULT_ENDING_RAMP,
  type EndingRampConfig,
  endingRamp,
  parseEndingRamp,
  rampPosition,
} from './sampling/ending-ramp.js';
export { endNotBefore, musicGrammar, type NoteRanges, NoteTracker } from './sampling/grammar.js';
export {
  DEFAULT_PITCH_RANGE,
  INSTRUMENT_RANGES,
  type InstrumentName,
  noteOnsOutside,
  type PitchRange,
  parsePitchRange,
} from './sampling/pitch-range.js';
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
