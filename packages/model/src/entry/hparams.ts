// `@music-transformer/model/hparams`: the architecture as data (schema, presets, parameter specs) and the
// backend choices. Never loads TF.js, so command-line parsers and option schemas can import it for free.
export { BACKEND_CHOICES, type BackendChoice } from '../backend-choice.js';
export { ModelError, type ModelErrorCode } from '../errors.js';
export {
  countParameters,
  HPARAM_BOUNDS,
  type HParamPresetName,
  type HParams,
  type HParamsInput,
  HParamsSchema,
  hparamPresetNames,
  hparamPresets,
  parseHParams,
} from '../hparams.js';
export { checkWeights, type ParamSpec, paramCount, paramSpecs } from '../params.js';
