export { type Augmentation, augmentations } from './augment.js';
export { CodedError } from './coded-error.js';
export { parseVocabConfig, presets, type SustainMode, type VocabConfig } from './config.js';
export { type DecodeOptions, type DecodeStats, tokensToNotes, tokensToStepNotes } from './decode.js';
export { type EncodeStats, encodeStepNotes, notesToTokens, quantizeNotes, toStep } from './encode.js';
export { MidiParseError, VocabError, type VocabErrorCode } from './errors.js';
export { decodeEvents, encodeEvents, type VocabEvent } from './events.js';
export { DEFAULT_MIDI_LIMITS, type MidiLimits, resolveMidiLimits } from './limits.js';
export {
  type MidiReport,
  type MidiTokens,
  type MidiToTokensOptions,
  midiToTokens,
  type TokensToMidiOptions,
  tokensToMidi,
  tokensToMidiWithStats,
} from './midi.js';
export { type ReadMidiOptions, type ReadReport, readMidiNotes } from './midi-read.js';
export { type MidiTiming, midiTiming, stepNotesToMidi, type WriteOptions } from './midi-write.js';
export type { Note, SourceNote, StepNote } from './notes.js';
export { dropStrayNoteOffs } from './orphans.js';
export { createRng, type Rng, type RngState, restoreRng } from './rng.js';
export { type BuildRowsOptions, buildRows, type RowsResult } from './rows.js';
export { permutation, shuffleInPlace } from './shuffle.js';
export { stretch } from './stretch.js';
export { transpose } from './transpose.js';
export { createVocab, type TokenKind, type Vocab } from './vocab.js';
export {
  checkWindowScheme,
  cutWindows,
  ORIGINAL_WINDOWS,
  sampleWindows,
  type TokenWindow,
  tileWindows,
  type WindowScheme,
} from './windows.js';
