import { ArrivalStamps } from './arrival-stamps.js';
import type { Clock } from './clock.js';
import { BridgeError } from './errors.js';
import type { SentThrough } from './jack-frame-output.js';
import type { ChannelMessage, MidiMessage } from './messages.js';
import type { PriorityResult } from './realtime-priority.js';
import type { SentRecord } from './send-ring.js';
import { openThreadedOutput } from './threaded-output.js';

/** Where the bridge sends. Implemented over easymidi (`openMidiBackend`) and by fakes in tests. */
export interface MidiOutputPort {
  readonly name: string;
  send(message: MidiMessage): void;
  close(): void;
  /** What real-time scheduling the port's own sending thread got, when it has one. */
  readonly priority?: PriorityResult;
  /** Present when the port sends on its own thread, at times given ahead (see threaded-output.ts). */
  readonly timed?: TimedOutput;
  /** Which output that thread sends through (the frame-exact JACK output or RtMidi). */
  readonly through?: SentThrough;
}

/**
 * A port that takes messages ahead of time with their due times and sends each at its time on a
 * thread of its own, so the bridge's thread only has to keep `leadMs` ahead.
 */
export interface TimedOutput {
  readonly leadMs: number;
  /** Hands `message` over, to leave at clock time `dueMs`. Throws PORT_LOST if the port failed. */
  sendAt(message: ChannelMessage, dueMs: number): void;
  /**
   * Drops every message handed over and not yet sent, and returns (once the sending thread has done
   * so) everything consumed since the last collect: what left, with its send time, and what was dropped.
   */
  cancelPending(): Array<SentRecord<ChannelMessage>>;
  /** Everything consumed since the last call, in order. Throws PORT_LOST if a send failed. */
  collect(): Array<SentRecord<ChannelMessage>>;
}

/** Where the bridge listens (the player's notes, MIDI clock, CC controls). */
export interface MidiInputPort {
  readonly name: string;
  /** Registers the receiver; `ms` is the clock time the message arrived at. */
  onMessage(listener: (message: MidiMessage, ms: number) => void): void;
  close(): void;
}

export interface OutputOptions {
  /**
   * Send on a dedicated thread at times given ahead (`MidiOutputPort.timed`), as `mt live` does;
   * without it each message leaves at once on the calling thread.
   */
  timed?: boolean;
  /** With `timed`: ask for real-time scheduling of the sending thread. */
  realtime?: boolean;
}

/** Access to the system's MIDI ports. */
export interface MidiBackend {
  listOutputs(): string[];
  listInputs(): string[];
  /** Opens an existing port by its exact name, or creates a virtual port named `name`. */
  openOutput(name: string, virtual: boolean, options?: OutputOptions): MidiOutputPort;
  openInput(name: string, virtual: boolean): MidiInputPort;
}

/**
 * Chooses the port the user meant: an exact name wins; otherwise a case-insensitive substring that
 * matches exactly one port (RtMidi on JACK lists virtual ports as `RtMidi Output Client:NAME`, and
 * macOS adds bus numbers, so users rarely know the exact name).
 */
export function resolvePortName(
  wanted: string,
  available: readonly string[],
  direction: 'input' | 'output',
): string {
  if (available.includes(wanted)) return wanted;
  const needle = wanted.toLowerCase();
  const matches = available.filter((name) => name.toLowerCase().includes(needle));
  const list = available.length > 0 ? available.map((n) => `'${n}'`).join(', ') : '(none)';
  if (matches.length === 0) {
    throw new BridgeError(
      'PORT_NOT_FOUND',
      `no MIDI ${direction} port matches '${wanted}'; available: ${list}`,
    );
  }
  if (matches.length > 1) {
    throw new BridgeError(
      'PORT_AMBIGUOUS',
      `MIDI ${direction} port '${wanted}' matches ${matches.length} ports: ${matches.map((n) => `'${n}'`).join(', ')}; give more of the name`,
    );
  }
  return matches[0] as string;
}

/** Parses the bytes of one incoming message; types the bridge does not use give null. */
export function fromBytes(bytes: readonly number[]): MidiMessage | null {
  const status = bytes[0] ?? 0;
  switch (status) {
    case 0xf8:
      return { type: 'clock' };
    case 0xfa:
      return { type: 'start' };
    case 0xfb:
      return { type: 'continue' };
    case 0xfc:
      return { type: 'stop' };
  }
  const channel = status & 0x0f;
  const a = bytes[1] ?? 0;
  const b = bytes[2] ?? 0;
  switch (status >> 4) {
    case 0x8:
      return { type: 'noteoff', channel, note: a, velocity: b };
    case 0x9:
      return { type: 'noteon', channel, note: a, velocity: b };
    case 0xb:
      return { type: 'cc', channel, controller: a, value: b };
    default:
      return null;
  }
}

/** Wraps a failure of the native MIDI layer, with the usual reason spelled out. */
function portFailed(what: string, cause: unknown): BridgeError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new BridgeError(
    'PORT_FAILED',
    `${what} failed: ${detail} (is a MIDI system available? Linux needs an ALSA sequencer or a running JACK server; Windows cannot create virtual ports, use loopMIDI and pass its name)`,
    { cause },
  );
}

/**
 * The real MIDI backend (RtMidi: CoreMIDI, ALSA or JACK, WinMM). Outputs go through easymidi; inputs
 * use its RtMidi binding (@julusian/midi, the same addon) directly, because easymidi drops RtMidi's
 * per-message time deltas, which the bridge needs for exact arrival times (see ArrivalStamps). Loaded
 * lazily so the rest of the package (and its tests with fake ports) works where the addon cannot load.
 */
export async function openMidiBackend(clock: Clock): Promise<MidiBackend> {
  let easymidi: typeof import('easymidi');
  let rtmidi: typeof import('@julusian/midi');
  try {
    easymidi = (await import('easymidi')).default as unknown as typeof import('easymidi');
    rtmidi = await import('@julusian/midi');
  } catch (cause) {
    throw portFailed('loading the MIDI addon', cause);
  }
  const guard = <T>(what: string, fn: () => T): T => {
    try {
      return fn();
    } catch (cause) {
      throw portFailed(what, cause);
    }
  };
  // One lister per direction for the whole run. Each RtMidi object is a client of the MIDI system
  // (on JACK an active client with a process thread): easymidi's getOutputs() makes a new one per call
  // and leaves it to the garbage collector, so polling the port list added and later removed JACK
  // clients in the middle of a performance, and each change of the JACK graph can cost a cycle.
  let outputLister: InstanceType<typeof rtmidi.Output> | null = null;
  let inputLister: InstanceType<typeof rtmidi.Input> | null = null;
  const names = (lister: { getPortCount(): number; getPortName(i: number): string }) =>
    Array.from({ length: lister.getPortCount() }, (_, i) => lister.getPortName(i));
  return {
    listOutputs: () =>
      guard('listing MIDI outputs', () => {
        outputLister ??= new rtmidi.Output();
        return names(outputLister);
      }),
    listInputs: () =>
      guard('listing MIDI inputs', () => {
        inputLister ??= new rtmidi.Input();
        return names(inputLister);
      }),
    openOutput(name, virtual, options = {}) {
      if (options.timed) {
        return openThreadedOutput(name, virtual, { realtime: options.realtime === true, clock });
      }
      const output = guard(`opening MIDI output '${name}'`, () => new easymidi.Output(name, virtual));
      return {
        name,
        send(message) {
          // easymidi's overloads are per literal type; the union is exactly its accepted set.
          const send = output.send as (type: string, params?: object) => void;
          const { type, ...params } = message;
          send.call(output, type, params);
        },
        close: () => output.close(),
      };
    },
    openInput(name, virtual) {
      const input = guard(`opening MIDI input '${name}'`, () => {
        const port = new rtmidi.Input();
        // Receive clock and transport (RtMidi ignores timing messages by default).
        port.ignoreTypes(true, false, true);
        if (virtual) port.openVirtualPort(name);
        else port.openPortByName(name);
        return port;
      });
      const stamps = new ArrivalStamps();
      return {
        name,
        onMessage(listener) {
          input.on('message', (deltaTime: number, bytes: number[]) => {
            const ms = stamps.stamp(deltaTime, clock.now());
            const message = fromBytes(bytes);
            if (message) listener(message, ms);
          });
        },
        close: () => input.closePort(),
      };
    },
  };
}
