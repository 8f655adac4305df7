// `@music-transformer/model/generation`: the cached decoder, sampling and the generator. Runs on its own
// kernels (WebAssembly SIMD or plain JS) over Float32Arrays: it never loads TF.js and uses no Node module,
// so it also runs in a browser or a Web Worker.
export { ModelError, type ModelErrorCode } from '../errors.js';
export type { KernelChoice } from '../generation/decoder.js';
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
} from '../generation/generator.js';
export { simdSupported } from '../generation/kernels.js';
export { RELEASE_TAIL_MS, releaseTail } from '../generation/release-tail.js';
export {
  GenerationSession,
  LENGTH_TOLERANCE_MS,
  type LimitReason,
  type PieceLimits,
  type SessionInit,
  type WindowPolicy,
} from '../generation/session.js';
export type { GenerationVocab } from '../generation/vocab-info.js';
export { buildProcessors } from '../sampling/build.js';
export { argmax, chooseToken, sampleCategorical } from '../sampling/choose.js';
export { defaultSampling, parseSamplingOptions } from '../sampling/config.js';
export {
  DEFAULT_ENDING_RAMP,
  type EndingRampConfig,
  endingRamp,
  parseEndingRamp,
  rampPosition,
} from '../sampling/ending-ramp.js';
export { endNotBefore, musicGrammar, type NoteRanges, NoteTracker } from '../sampling/grammar.js';
export {
  DEFAULT_PITCH_RANGE,
  INSTRUMENT_RANGES,
  type InstrumentName,
  noteOnsOutside,
  type PitchRange,
  parsePitchRange,
} from '../sampling/pitch-range.js';
export {
  applyProcessors,
  suppressIds,
  suppressSpecials,
  temperature,
  topK,
  topP,
} from '../sampling/processors.js';
export type { LogitsProcessor, SamplingConfig, SamplingMode, SamplingOptions } from '../sampling/types.js';
