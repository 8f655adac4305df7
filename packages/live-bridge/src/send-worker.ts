/**
 * Entry point of the sending thread. It owns the MIDI output port and does one thing: sends each
 * message of the shared ring at its due time. Its loop allocates nothing (no garbage collection can
 * start on it), takes no lock and never waits on the bridge's thread, the generation worker or the
 * event loop, so when it runs in the real-time class nothing of normal priority can hold it up.
 * It sleeps with Atomics.wait, at most POLL_MS at a time (it looks at the ring that often, so the
 * bridge's thread never has to wake it), then in 0.1 ms steps, and spins the last 0.15 ms.
 *
 * Where the frame-exact JACK output is built (jack-frame-output.ts), the thread opens that instead of
 * RtMidi and hands each message over JACK_SEND_AHEAD_MS before its due time, with that time: JACK then
 * writes it at its exact frame, and the thread's own wake-up delays no longer show in the timing.
 */
import { readlinkSync } from 'node:fs';
import { type MessagePort, workerData } from 'node:worker_threads';
import * as rtmidi from '@julusian/midi';
import {
  JACK_CLIENT_NAME,
  JACK_CONNECTING_PORT_NAME,
  JACK_SEND_AHEAD_MS,
  type JackFrameAddon,
  type JackFrameHandle,
  loadJackFrameAddon,
  type SentThrough,
} from './jack-frame-output.js';
import { type PriorityResult, requestThreadRealtime } from './realtime-priority.js';
import { CTRL, ringViews, STATE, STEP, senderStep } from './send-ring.js';

export interface SendWorkerInit {
  buffer: SharedArrayBuffer;
  name: string;
  virtual: boolean;
  realtime: boolean;
  /** Path of the frame-exact JACK output addon, when built; null sends through RtMidi. */
  jackFrames: string | null;
  /** Where the thread says whether the port opened and what priority it got. */
  reports: MessagePort;
}

/** Longest sleep between looks at the ring, ms (a whole number: see `run`). */
const POLL_MS = 2;
/** How often the JACK clock's offset from the bridge's clock is read again, ms (see `clockOffset`). */
const CLOCK_SYNC_MS = 250;
/** How long closing waits for the JACK output to write what it holds, ms (below the bridge's wait). */
const JACK_FLUSH_MS = 500;

const init = workerData as SendWorkerInit;
const v = ringViews(init.buffer);
const { ctrl } = v;

interface JackOutput {
  addon: JackFrameAddon;
  handle: JackFrameHandle;
}

const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

/** The frame-exact output, when built and JACK takes it; why it failed (a string); or null: not built. */
function openJack(): JackOutput | string | null {
  if (init.jackFrames === null) return null;
  try {
    const addon = loadJackFrameAddon(init.jackFrames);
    const handle = init.virtual
      ? addon.open(JACK_CLIENT_NAME, init.name, null)
      : addon.open(JACK_CLIENT_NAME, JACK_CONNECTING_PORT_NAME, init.name);
    return { addon, handle };
  } catch (cause) {
    return messageOf(cause);
  }
}

const opened = openJack();
/** The frame-exact output this thread sends through, or null for RtMidi (`output`). */
const jackOutput = typeof opened === 'object' ? opened : null;
let output: rtmidi.Output | null = null;
let through: SentThrough;
if (jackOutput !== null) {
  const info = jackOutput.addon.info(jackOutput.handle);
  through = { kind: 'jack-frames', client: info.client, port: info.port };
} else {
  try {
    output = new rtmidi.Output();
    if (init.virtual) output.openVirtualPort(init.name);
    else output.openPortByName(init.name);
  } catch (cause) {
    init.reports.postMessage({ opened: false, error: messageOf(cause) });
    Atomics.store(ctrl, CTRL.state, STATE.failed);
    Atomics.notify(ctrl, CTRL.state);
    process.exit(0);
  }
  through = { kind: 'rtmidi', ...(typeof opened === 'string' ? { fallback: opened } : {}) };
}
let priority: PriorityResult | null = null;
if (init.realtime) {
  // Only this thread: its id is the last part of /proc/thread-self (pid/task/tid).
  const self = process.platform === 'linux' ? readlinkSync('/proc/thread-self') : '';
  priority = requestThreadRealtime(Number(self.split('/').at(-1)));
}
init.reports.postMessage({ opened: true, priority, through });
init.reports.close();
Atomics.store(ctrl, CTRL.state, STATE.open);
Atomics.notify(ctrl, CTRL.state);

// Reused for every send: the addon copies the bytes, so one buffer serves the whole run. (Given an
// array, the addon's wrapper makes a new Buffer per message: garbage on every send, and a garbage
// collection here would wait on V8's helper threads, which run at normal priority.)
const message = Buffer.alloc(3);
const sendNow = (packed: number): boolean => {
  message[0] = packed & 0xff;
  message[1] = (packed >> 8) & 0xff;
  message[2] = (packed >> 16) & 0xff;
  (output as rtmidi.Output).sendMessage(message);
  return true;
};
// The bridge's clock is process.hrtime in ms; performance.now() reads the same monotonic clock from
// another origin without allocating (hrtime.bigint() would allocate on every read).
const offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
const now = (): number => performance.now() + offset;

// JACK's clock (jack_get_time) is not the bridge's: JACK2 reads CLOCK_MONOTONIC_RAW, process.hrtime
// CLOCK_MONOTONIC, which NTP slews (measured here: 258 ms apart after 5 h). `jackOffset[0]` is their
// difference in µs, read again every CLOCK_SYNC_MS because they drift apart at NTP's slew rate.
const jackOffset = new Float64Array(1);
const portGone = new Error('the JACK output is gone');
const sendAheadThrough =
  ({ addon, handle }: JackOutput) =>
  (packed: number, dueMs: number): boolean => {
    const r = addon.sendAt(handle, packed, dueMs * 1000 + (jackOffset[0] as number));
    if (r < 0) throw portGone;
    return r === 1;
  };
const send = jackOutput ? sendAheadThrough(jackOutput) : sendNow;
const aheadMs = jackOutput ? JACK_SEND_AHEAD_MS : 0;
let syncedAt = Number.NEGATIVE_INFINITY;
const syncClock = (t: number): void => {
  if (jackOutput === null || t - syncedAt < CLOCK_SYNC_MS) return;
  jackOutput.addon.clockOffset(jackOutput.handle, jackOffset);
  syncedAt = t;
};

/**
 * The loop, in a function so that it is optimised as a whole. It allocates as little as JavaScript
 * allows: the wait comes back through a typed array (a double returned from a call is boxed), sleep
 * lengths are constants, and the clock is read once per wake-up (Node's clocks allocate on every read:
 * performance.now() about 0.5 kB). The remaining garbage means a minor collection on this thread every
 * few seconds, which `openThreadedOutput` makes single-threaded so it never waits for V8's helper
 * threads (normal priority, so on a busy machine they can wait 100 ms for a CPU).
 */
function run(): void {
  const waitOut = new Float64Array(1);
  for (;;) {
    const t = now();
    syncClock(t);
    const step = senderStep(v, t, send, waitOut, aheadMs);
    if (step === STEP.sent) continue;
    if (step === STEP.empty) {
      if (Atomics.load(ctrl, CTRL.closeAsked) === 1) return;
      Atomics.wait(ctrl, CTRL.sleep, 0, POLL_MS);
      continue;
    }
    const wait = waitOut[0] as number;
    // Handing over to the JACK output a ms late costs nothing (it is JACK_SEND_AHEAD_MS early): no spin.
    if (wait > 1.2 || jackOutput !== null) Atomics.wait(ctrl, CTRL.sleep, 0, wait > 3 ? POLL_MS : 1);
    else if (wait > 0.15) Atomics.wait(ctrl, CTRL.sleep, 0, 0.1);
    else {
      const due = now() + wait;
      while (now() < due) {
        // The last 0.15 ms are spun: a sleep this short wakes late.
      }
    }
  }
}

run();
// Closing the port lets the MIDI layer pass on what it still holds: the JACK output writes everything
// it was handed (the stop's note-offs last) before its client closes; RtMidi's JACK client waits for
// one more process cycle.
if (jackOutput) jackOutput.addon.close(jackOutput.handle, JACK_FLUSH_MS);
else output?.closePort();
Atomics.store(ctrl, CTRL.state, STATE.closed);
Atomics.notify(ctrl, CTRL.state);
