export { LiveBridge } from './bridge.js';
export { type Clock, createPreciseWaker, monotonicClock, type Waker } from './clock.js';
export { CLOCK_PPQN, ClockFollower } from './clock-follower.js';
export type { TokenCodec, TokenMeaning } from './codec.js';
export {
  type CcMap,
  type ControlName,
  type Controls,
  controlFromCc,
  defaultControls,
  type SamplingControls,
  validateCcMap,
  validateControls,
} from './controls.js';
export { BridgeError, type BridgeErrorCode } from './errors.js';
export {
  BATCH_TOKENS,
  createInlineGenerator,
  type GeneratorListener,
  type TokenGenerator,
} from './generator.js';
export {
  describeSentThrough,
  findJackFrameAddon,
  JACK_FRAMES_ENV,
  JACK_SEND_AHEAD_MS,
  type JackFrameAddon,
  type JackFrameHandle,
  loadJackFrameAddon,
  type SentThrough,
} from './jack-frame-output.js';
export { ALL_NOTES_OFF, type ChannelMessage, type MidiMessage, type RealtimeMessage } from './messages.js';
export type { ModelSourceOptions } from './model-source.js';
export { MODEL_SOURCE_URL } from './model-source-url.js';
export { NoteTracker } from './note-tracker.js';
export { type BridgeMode, type LiveBridgeOptions, resolveBridgeOptions } from './options.js';
export { PhraseCapture } from './phrase-capture.js';
export { watchPorts } from './port-watch.js';
export {
  type MidiBackend,
  type MidiInputPort,
  type MidiOutputPort,
  type OutputOptions,
  openMidiBackend,
  resolvePortName,
  type TimedOutput,
} from './ports.js';
export { type PriorityResult, requestRealtimePriority } from './realtime-priority.js';
export { MidiRecorder, RECORD_PPQ } from './recorder.js';
export type { Rng } from './rng.js';
export { Scheduler, type TimedMessage } from './scheduler.js';
export type { SentRecord } from './send-ring.js';
export {
  type LiveSessionHooks,
  type LiveSessionOptions,
  type LiveSessionResult,
  type PortChoice,
  priorityLine,
  runLiveSession,
} from './session.js';
export { type BridgeEvents, type BridgeState, type NoteStatus, RateMeter } from './status.js';
export { SEND_LEAD_MS } from './threaded-output.js';
export { Timeline } from './timeline.js';
export { type NoteEdge, TokenDecoder } from './token-decoder.js';
export type { TokenSource, TokenSourceModule } from './token-source.js';
export { codecFromVocab } from './vocab-codec.js';
export { createWorkerGenerator } from './worker-generator.js';
export type { WorkerInit } from './worker-protocol.js';
