import { setFlagsFromString } from 'node:v8';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Clock } from './clock.js';
import { BridgeError } from './errors.js';
import { findJackFrameAddon, type SentThrough } from './jack-frame-output.js';
import type { ChannelMessage, MidiMessage } from './messages.js';
import type { MidiOutputPort, TimedOutput } from './ports.js';
import type { PriorityResult } from './realtime-priority.js';
import {
  CTRL,
  createRingBuffer,
  packMessage,
  RingWriter,
  ringViews,
  type SentRecord,
  STATE,
} from './send-ring.js';
import type { SendWorkerInit } from './send-worker.js';

/**
 * How long before its due time a message is handed to the sending thread. The bridge's thread (event
 * loop, garbage collection, token decoding) may stall for a while on a busy machine without making
 * any note late, as long as the stall is shorter than this; the cost is that a tempo change (followed
 * MIDI clock) reaches messages this much later. Cancels (pause, stop, the player interrupting) are
 * immediate whatever the lead.
 */
export const SEND_LEAD_MS = 100;

// A worker thread loads its modules first; on a saturated machine that alone took seconds.
const OPEN_TIMEOUT_MS = 15_000;
const CANCEL_TIMEOUT_MS = 200;
const CLOSE_TIMEOUT_MS = 1000;

/**
 * Opens `name` (or a virtual port of that name) on a dedicated sending thread (`send-worker.js`) and
 * returns the port with its `timed` side: messages are handed over ahead of time with their due
 * times through a SharedArrayBuffer ring, and the sending thread, alone in the real-time class when
 * allowed, sends each at its time. Blocks (at most a few seconds) until the port is open.
 */
export function openThreadedOutput(
  name: string,
  virtual: boolean,
  /** `clock` must be `monotonicClock`: the sending thread reads the same clock on its own. */
  options: { realtime: boolean; clock: Clock },
  workerUrl: URL = new URL('./send-worker.js', import.meta.url),
): MidiOutputPort & { timed: TimedOutput } {
  // Minor collections run on the collecting thread alone: a parallel one makes the sending thread wait
  // for V8's helper threads, which have normal priority (measured: sends 2-200 ms late with the
  // sending thread in the real-time class, on 2 busy cores). Process-wide, read at each collection.
  setFlagsFromString('--no-parallel-scavenge');
  const buffer = createRingBuffer();
  const v = ringViews(buffer);
  const { port1: reports, port2 } = new MessageChannel();
  const init: SendWorkerInit = {
    buffer,
    name,
    virtual,
    realtime: options.realtime,
    jackFrames: findJackFrameAddon(),
    reports: port2,
  };
  const worker = new Worker(workerUrl, { workerData: init, transferList: [port2] });
  worker.unref();
  const state = Atomics.load(v.ctrl, CTRL.state);
  if (state === STATE.starting) Atomics.wait(v.ctrl, CTRL.state, STATE.starting, OPEN_TIMEOUT_MS);
  const report = receiveMessageOnPort(reports)?.message as
    | { opened: true; priority: PriorityResult | null; through: SentThrough }
    | { opened: false; error: string }
    | undefined;
  if (Atomics.load(v.ctrl, CTRL.state) !== STATE.open || !report?.opened) {
    void worker.terminate();
    const detail = report && !report.opened ? report.error : 'the sending thread did not start';
    throw new BridgeError('PORT_FAILED', `opening MIDI output '${name}' failed: ${detail}`);
  }
  const ring = new RingWriter<ChannelMessage>(v);
  let closed = false;
  const waitFor = (done: () => boolean, timeoutMs: number): boolean => {
    const deadline = options.clock.now() + timeoutMs;
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!done()) {
      if (options.clock.now() > deadline) return false;
      Atomics.wait(nap, 0, 0, 0.5);
    }
    return true;
  };
  const checkFailed = () => {
    if (Atomics.load(v.ctrl, CTRL.failed) === 1) {
      throw new BridgeError('PORT_LOST', `MIDI output '${name}' failed while sending`);
    }
  };
  const timed: TimedOutput = {
    leadMs: SEND_LEAD_MS,
    sendAt(message, dueMs) {
      if (closed) throw new BridgeError('PORT_LOST', `MIDI output '${name}' is closed`);
      checkFailed();
      if (!ring.write(packMessage(message), dueMs, message)) {
        throw new BridgeError(
          'PORT_LOST',
          `MIDI output '${name}': the sending thread stopped taking messages`,
        );
      }
    },
    cancelPending(): Array<SentRecord<ChannelMessage>> {
      const ticket = ring.askCancel();
      if (!waitFor(() => ring.cancelDone(ticket), CANCEL_TIMEOUT_MS)) {
        // The thread is gone or stuck: nothing more will leave, so all of it counts as not sent.
        return [...ring.collect(), ...ring.abandon()];
      }
      return ring.collect();
    },
    collect: () => {
      checkFailed();
      return ring.collect();
    },
  };
  return {
    name,
    ...(report.priority ? { priority: report.priority } : {}),
    through: report.through,
    timed,
    send(message: MidiMessage) {
      if (message.type === 'noteon' || message.type === 'noteoff' || message.type === 'cc') {
        timed.sendAt(message, options.clock.now());
      }
    },
    close() {
      if (closed) return;
      closed = true;
      // Everything handed over is sent (the bridge has cancelled what it no longer wants), then the
      // thread closes the port and ends.
      Atomics.store(v.ctrl, CTRL.closeAsked, 1);
      if (!waitFor(() => Atomics.load(v.ctrl, CTRL.state) === STATE.closed, CLOSE_TIMEOUT_MS)) {
        void worker.terminate();
      }
    },
  };
}
