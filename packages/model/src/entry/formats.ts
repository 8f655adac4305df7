// `@music-transformer/model/formats`: the safetensors codec and model files as plain arrays. Never loads
// TF.js and uses no Node module, so it also runs in a browser or a Web Worker.
export { ModelError, type ModelErrorCode } from '../errors.js';
export {
  checkModelTensors,
  hparamsOfMetadata,
  type LoadModelOptions,
  MODEL_FORMAT,
  type ModelFile,
  readModelFile,
} from '../model-file.js';
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
} from '../safetensors.js';
