import type { Clock, Waker } from './clock.js';
import type { TokenCodec } from './codec.js';
import { type CcMap, type Controls, validateCcMap, validateControls } from './controls.js';
import { BridgeError } from './errors.js';
import type { TokenGenerator } from './generator.js';
import type { MidiInputPort, MidiOutputPort } from './ports.js';
import type { MidiRecorder } from './recorder.js';
import type { Rng } from './rng.js';

/**
 * generate: play the model continuously. call-response: wait for the player's phrase, then answer
 * with a phrase of the same length (Magenta's MIDI interface). continue: after the player's phrase,
 * keep continuing it until the player plays again.
 */
export type BridgeMode = 'generate' | 'call-response' | 'continue';

export interface LiveBridgeOptions {
  codec: TokenCodec;
  generator: TokenGenerator;
  output: MidiOutputPort;
  /** Needed for call-response/continue, clock follow and CC controls. */
  input?: MidiInputPort | null;
  /** Draws for density thinning. */
  rng: Rng;
  clock?: Clock;
  waker?: Waker;
  mode?: BridgeMode;
  /** Tempo of the grid; the model's own timing plays unchanged at this tempo. Default 120. */
  bpm?: number;
  /** Music kept generated ahead of playback, ms. Default 2000. */
  lookaheadMs?: number;
  /** Music generated before playback starts (and before a response starts), ms. Default 500. */
  startBufferMs?: number;
  /** Music generated before playback resumes after an underrun, ms. Default 500. */
  resumeBufferMs?: number;
  /** 0-based MIDI channel. Default 0 (channel 1). */
  channel?: number;
  /** Latency compensation, ms; negative sends earlier. Default 0. */
  offsetMs?: number;
  /** Follow MIDI clock and Start/Stop/Continue from the input port. */
  followClock?: boolean;
  /** Silence after the player's phrase before the answer, in beats. Default 4 (one 4/4 bar). */
  silenceBeats?: number;
  /** Ids to condition the first phrase on in generate mode. Default: the codec's start id. */
  primer?: readonly number[];
  controls?: Partial<Controls>;
  ccMap?: CcMap;
  recorder?: MidiRecorder | null;
  /** Notes longer than this are ended, ms. Default 5000. */
  maxNoteMs?: number;
  /** Period of `buffer` events and buffer refill checks, ms. Default 100. */
  statusIntervalMs?: number;
}

export type ResolvedBridgeOptions = Required<
  Omit<LiveBridgeOptions, 'clock' | 'waker' | 'input' | 'recorder' | 'primer' | 'controls'>
> & {
  input: MidiInputPort | null;
  recorder: MidiRecorder | null;
  primer: readonly number[] | null;
  controls: Partial<Controls>;
};

const range = (name: string, value: number, lo: number, hi: number, integer = false): number => {
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value < lo ||
    value > hi ||
    (integer && !Number.isInteger(value))
  ) {
    throw new BridgeError(
      'BAD_OPTION',
      `${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${String(value)}`,
    );
  }
  return value;
};

/** Fills defaults and checks every value; throws BAD_OPTION naming the option and its value. */
export function resolveBridgeOptions(o: LiveBridgeOptions): ResolvedBridgeOptions {
  const mode = o.mode ?? 'generate';
  if (!['generate', 'call-response', 'continue'].includes(mode)) {
    throw new BridgeError('BAD_OPTION', `mode must be generate, call-response or continue, got '${mode}'`);
  }
  const input = o.input ?? null;
  if (mode !== 'generate' && !input) {
    throw new BridgeError('BAD_OPTION', `mode '${mode}' needs an input port (the player's notes)`);
  }
  if (o.followClock && !input) {
    throw new BridgeError('BAD_OPTION', 'followClock needs an input port that receives the MIDI clock');
  }
  const ccMap = validateCcMap(o.ccMap ?? {});
  if (Object.keys(ccMap).length > 0 && !input) {
    throw new BridgeError('BAD_OPTION', 'a CC mapping needs an input port that receives the controllers');
  }
  return {
    codec: o.codec,
    generator: o.generator,
    output: o.output,
    input,
    rng: o.rng,
    mode,
    bpm: range('bpm', o.bpm ?? 120, 20, 400),
    lookaheadMs: range('lookaheadMs', o.lookaheadMs ?? 2000, 100, 60_000),
    startBufferMs: range('startBufferMs', o.startBufferMs ?? 500, 0, 60_000),
    resumeBufferMs: range('resumeBufferMs', o.resumeBufferMs ?? 500, 0, 60_000),
    channel: range('channel', o.channel ?? 0, 0, 15, true),
    offsetMs: range('offsetMs', o.offsetMs ?? 0, -1000, 1000),
    followClock: o.followClock ?? false,
    silenceBeats: range('silenceBeats', o.silenceBeats ?? 4, 0.25, 64),
    primer: o.primer ?? null,
    controls: validateControls(o.controls ?? {}),
    ccMap,
    recorder: o.recorder ?? null,
    maxNoteMs: range('maxNoteMs', o.maxNoteMs ?? 5000, 10, 600_000),
    statusIntervalMs: range('statusIntervalMs', o.statusIntervalMs ?? 100, 5, 10_000),
  };
}
