/**
 * The model and trainer packages load TensorFlow.js when imported (about 0.5 s of CPU before any work).
 * Commands import them only inside their actions, so `--help`, usage errors and the MIDI-only commands
 * (tokenize, detokenize, info on a MIDI file) start at once.
 */
export const modelPackage = () => import('@music-transformer/model');
export const trainerPackage = () => import('@music-transformer/trainer');
/** `.pt` import/export: no TensorFlow.js, so `mt import` starts at once. */
export const torchPackage = () => import('@music-transformer/model/torch');
