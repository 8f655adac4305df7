import { LiveBridge } from './bridge.js';
import type { TokenCodec } from './codec.js';
import type { CcMap, Controls } from './controls.js';
import { describeSentThrough, type SentThrough } from './jack-frame-output.js';
import type { ModelSourceOptions } from './model-source.js';
import { MODEL_SOURCE_URL } from './model-source-url.js';
import type { BridgeMode } from './options.js';
import { watchPorts } from './port-watch.js';
import { type MidiBackend, type MidiInputPort, type MidiOutputPort, resolvePortName } from './ports.js';
import { type PriorityResult, requestRealtimePriority } from './realtime-priority.js';
import { MidiRecorder } from './recorder.js';
import type { Rng } from './rng.js';
import { createWorkerGenerator } from './worker-generator.js';

/** Real-time priority of the bridge's thread, below the sending thread's (20) and JACK's (65-70). */
const MAIN_PRIORITY = 10;

/** Where a session sends or listens: an existing port (name or unique part of it), or a new virtual one. */
export type PortChoice = { existing: string } | { virtual: string };

export interface LiveSessionOptions {
  backend: MidiBackend;
  output: PortChoice;
  input?: PortChoice | null;
  codec: TokenCodec;
  /** What the generation worker builds its model from. */
  model: ModelSourceOptions;
  /** Draws for density thinning. */
  rng: Rng;
  mode: BridgeMode;
  bpm: number;
  lookaheadMs: number;
  /** 0-based MIDI channel. */
  channel: number;
  offsetMs: number;
  followClock: boolean;
  silenceBeats: number;
  primer?: readonly number[];
  controls: Partial<Controls>;
  ccMap: CcMap;
  /** Keep a recording of what is sent; its bytes come back in the result. */
  record: boolean;
  /** Ask for real-time scheduling of the sending thread. */
  realtime: boolean;
  /** Stop after this many ms (default: only when `signal` aborts or the bridge fails). */
  durationMs?: number;
  /** Stops the session (the CLI aborts it on SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Print buffer level, note count and generation rate every second. */
  status?: boolean;
}

export interface LiveSessionHooks {
  /** One-line information for the user. */
  note(line: string): void;
  warn(line: string): void;
  /**
   * Called with the bridge before it starts, to attach more listeners (a dashboard); the returned
   * function is awaited when the session ends.
   */
  attach?(bridge: LiveBridge): Promise<(() => Promise<void>) | undefined>;
}

export interface LiveSessionResult {
  sentNotes: number;
  underruns: number;
  /** The recording (a Standard MIDI File), when asked for and anything was sent. */
  recording: Uint8Array | null;
  /** Why the session ended early (a port vanished, the generator failed), or null. */
  failure: Error | null;
}

/**
 * The live system as `mt live` runs it, in one place: opens the ports, starts the generation worker,
 * connects the bridge, the recorder and the port watch, plays until `signal` aborts, `durationMs`
 * passes or something fails, then silences every sounding note and closes everything in order. The
 * recording is returned even when the session failed, so a take is never lost.
 */
export async function runLiveSession(
  options: LiveSessionOptions,
  hooks: LiveSessionHooks,
): Promise<LiveSessionResult> {
  const { backend } = options;
  const opened: Array<MidiOutputPort | MidiInputPort> = [];
  let bridge: LiveBridge | null = null;
  let stopWatch: (() => void) | null = null;
  let detach: (() => Promise<void>) | undefined;
  // A sending thread of its own keeps the time, so nothing on this thread can make a note late.
  const sending = { timed: true, realtime: options.realtime };
  try {
    const output =
      'existing' in options.output
        ? backend.openOutput(
            resolvePortName(options.output.existing, backend.listOutputs(), 'output'),
            false,
            sending,
          )
        : backend.openOutput(options.output.virtual, true, sending);
    opened.push(output);
    if (options.realtime && output.priority?.ok) {
      // The sending thread keeps the time, but this thread must still hand each message over SEND_LEAD_MS
      // ahead; on a saturated machine a normal thread can wait longer than that (measured: 45 ms sender
      // lateness at load 13 on 2 cores). Below the sending thread, so it can never delay a send.
      requestRealtimePriority(MAIN_PRIORITY);
    }
    hooks.note(
      priorityLine(output.priority ?? (options.realtime ? requestRealtimePriority() : null), output.through),
    );
    let input: MidiInputPort | null = null;
    if (options.input && 'existing' in options.input) {
      input = backend.openInput(
        resolvePortName(options.input.existing, backend.listInputs(), 'input'),
        false,
      );
    } else if (options.input) {
      input = backend.openInput(options.input.virtual, true);
    }
    if (input) opened.push(input);
    const recorder = options.record ? new MidiRecorder(options.bpm) : null;
    bridge = new LiveBridge({
      codec: options.codec,
      generator: createWorkerGenerator({ sourceModule: MODEL_SOURCE_URL, sourceOptions: options.model }),
      output,
      input,
      rng: options.rng,
      mode: options.mode,
      bpm: options.bpm,
      lookaheadMs: options.lookaheadMs,
      channel: options.channel,
      offsetMs: options.offsetMs,
      followClock: options.followClock,
      silenceBeats: options.silenceBeats,
      ...(options.primer ? { primer: options.primer } : {}),
      controls: options.controls,
      ccMap: options.ccMap,
      recorder,
    });
    detach = (await hooks.attach?.(bridge)) ?? undefined;
    // Existing ports can vanish (device unplugged, loopMIDI port deleted): stop safely when they do.
    const activeBridge = bridge;
    stopWatch = watchPorts(
      backend,
      {
        outputs: 'existing' in options.output ? [output.name] : [],
        inputs: input && options.input && 'existing' in options.input ? [input.name] : [],
      },
      (error) => activeBridge.abort(error),
    );
    hooks.note(
      `live: sending to '${output.name}'${input ? `, listening on '${input.name}'` : ''} (seed ${options.model.seed}, ${options.mode}, ${options.bpm} BPM)`,
    );
    const failure = await playUntilStopped(bridge, options, hooks);
    const stats = bridge.stats;
    return {
      sentNotes: stats.sentNotes,
      underruns: stats.underruns,
      recording: recorder && recorder.count > 0 ? recorder.toBytes() : null,
      failure,
    };
  } finally {
    stopWatch?.();
    await bridge?.stop();
    await detach?.();
    for (const port of opened) port.close();
  }
}

/**
 * One line at start: what scheduling the sending thread got (and how to get real-time if not), and
 * which output it sends through.
 */
export function priorityLine(got: PriorityResult | null, through?: SentThrough): string {
  const output = through ? `; output: ${describeSentThrough(through)}` : '';
  if (got === null)
    return `live: normal priority (real-time not requested): timing may slip on a busy machine${output}`;
  if (got.ok) return `live: ${got.detail}${output}`;
  return `live: normal priority (${got.detail}): timing may slip on a busy machine; for real-time priority add your user to the 'audio' group (Debian's jackd2 package offers to set it up) or give it an rtprio limit in /etc/security/limits.conf, then log in again${output}`;
}

/** Runs until the signal, the duration, or a bridge error; returns the error (after silencing). */
async function playUntilStopped(
  bridge: LiveBridge,
  options: LiveSessionOptions,
  hooks: LiveSessionHooks,
): Promise<Error | null> {
  let failure: Error | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let lastRate = '';
  await new Promise<void>((resolve) => {
    const finish = () => {
      options.signal?.removeEventListener('abort', finish);
      if (timer) clearTimeout(timer);
      if (ticker) clearInterval(ticker);
      // stop() silences every sounding note (note-offs and CC 123) before the ports close.
      void bridge.stop().then(resolve);
    };
    const timer = options.durationMs === undefined ? null : setTimeout(finish, options.durationMs);
    if (options.signal?.aborted) {
      finish();
      return;
    }
    options.signal?.addEventListener('abort', finish);
    bridge.on('error', (error) => {
      failure = error;
      finish();
    });
    bridge.on('underrun', ({ lateMs }) =>
      hooks.warn(`response too late: generation fell behind, playback waited ${Math.round(lateMs)} ms`),
    );
    bridge.on('state', (state) => hooks.note(`live: ${state}`));
    bridge.on('rate', (r) => {
      lastRate = `${Math.round(r.tokensPerSecond)} tokens/s (${r.realTimeFactor.toFixed(1)}x real time)`;
    });
    if (options.status) {
      ticker = setInterval(() => {
        const s = bridge.stats;
        const rate = lastRate === '' ? '' : `, ${lastRate}`;
        hooks.note(
          `live: buffer ${bridge.bufferSeconds().toFixed(2)} s, ${s.sentNotes} notes, ${s.underruns} underruns${rate}`,
        );
      }, 1000);
    }
    bridge.start().catch((error: Error) => {
      failure = error;
      finish();
    });
  });
  return failure;
}
