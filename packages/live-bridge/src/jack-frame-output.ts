import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The frame-exact JACK MIDI output (native/jack-output, a small C addon built on Linux by
 * scripts/setup-jack-midi.sh): messages handed over ahead of time are written at the frame of their
 * due time, where RtMidi's JACK backend writes each at frame 0 of the next cycle. Optional: without the
 * built addon the bridge sends through RtMidi as before.
 */
export interface JackFrameAddon {
  /** Opens a client (JACK makes the name unique) with one MIDI output port, connected to `connectTo`. */
  open(clientName: string, portName: string, connectTo: string | null): JackFrameHandle;
  /** Queues `packed` (status | data1 << 8 | data2 << 16) for JACK time `jackTimeUs`: 1 queued, 0 full, -1 gone. */
  sendAt(handle: JackFrameHandle, packed: number, jackTimeUs: number): number;
  /** jack_get_time() - CLOCK_MONOTONIC (process.hrtime's clock), in µs, written to `out[0]`. */
  clockOffset(handle: JackFrameHandle, out: Float64Array): void;
  info(handle: JackFrameHandle): { client: string; port: string; sampleRate: number; bufferSize: number };
  stats(handle: JackFrameHandle): { written: number; late: number; cycles: number; pending: number };
  /** Waits until all queued messages are written (at most `timeoutMs`), then closes; true if all were. */
  close(handle: JackFrameHandle, timeoutMs: number): boolean;
}

/** Which output a sending thread opened: the frame-exact JACK output, or RtMidi (and why, if it fell back). */
export type SentThrough =
  | { kind: 'jack-frames'; client: string; port: string }
  | { kind: 'rtmidi'; fallback?: string };

/** How the start line names the output. */
export function describeSentThrough(through: SentThrough): string {
  if (through.kind === 'jack-frames') {
    return `frame-exact JACK output (${through.port}, sent ${JACK_SEND_AHEAD_MS} ms ahead)`;
  }
  return through.fallback ? `RtMidi (the frame-exact JACK output failed: ${through.fallback})` : 'RtMidi';
}

/** An opened output, opaque outside the addon. */
export type JackFrameHandle = { readonly __jackFrameHandle: unique symbol };

/**
 * How far ahead of its due time the sending thread hands a message to the JACK output. It absorbs the
 * sending thread's wake-up delays: on a busy machine a thread can wait several ms for a CPU even in the
 * real-time class, and a message handed over late lands at frame 0 of a later cycle instead of its own
 * frame. The bridge already schedules seconds ahead, so the only cost is that a pause or a stop no
 * longer reaches messages this close to their time (they play; the stop's note-offs follow them).
 */
export const JACK_SEND_AHEAD_MS = 20;

/** The names RtMidi's JACK backend uses, so ports are found where they were before. */
export const JACK_CLIENT_NAME = 'RtMidi Output Client';
/** RtMidi's port name for an output connected to an existing port (a virtual port takes the user's name). */
export const JACK_CONNECTING_PORT_NAME = 'RtMidi Output';

/** Set to 0 to send through RtMidi even where the frame-exact output is built. */
export const JACK_FRAMES_ENV = 'MT_JACK_FRAMES';

const ADDON_URL = new URL('../native/jack-output/build/Release/jack_output.node', import.meta.url);

/** Path of the built addon, or null when it is not built here (or turned off by MT_JACK_FRAMES=0). */
export function findJackFrameAddon(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux' || env[JACK_FRAMES_ENV] === '0') return null;
  const path = fileURLToPath(ADDON_URL);
  return existsSync(path) ? path : null;
}

/** Loads the addon at `path` (from findJackFrameAddon). Throws when it cannot load (libjack missing). */
export function loadJackFrameAddon(path: string): JackFrameAddon {
  return createRequire(import.meta.url)(path) as JackFrameAddon;
}
