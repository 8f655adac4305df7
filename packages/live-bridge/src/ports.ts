import { ArrivalStamps } from './arrival-stamps.js';
import type { Clock } from './clock.js';
import { BridgeError } from './errors.js';
import type { MidiMessage } from './messages.js';
import type { PriorityResult } from './realtime-priority.js';

/** Where the bridge sends. Implemented over easymidi (`openMidiBackend`) and by fakes in tests. */
export interface MidiOutputPort {
  readonly name: string;
  send(message: MidiMessage): void;
  close(): void;
  /** What real-time scheduling the port's own sending thread got, when it has one. */
  readonly priority?: PriorityResult;
}

/** Where the bridge listens (the player's notes, MIDI clock, CC controls). */
export interface MidiInputPort {
  readonly name: string;
  /** Registers the receiver; `ms` is the clock time the message arrived at. */
  onMessage(listener: (message: MidiMessage, ms: number) => void): void;
  close(): void;
}

/** Access to the system's MIDI ports. */
export interface MidiBackend {
  listOutputs(): string[];
  listInputs(): string[];
  /** Opens an existing port by its exact name, or creates a virtual port named `name`. */
  openOutput(name: string, virtual: boolean): MidiOutputPort;
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
  return {
    listOutputs: () => guard('listing MIDI outputs', () => easymidi.getOutputs()),
    listInputs: () => guard('listing MIDI inputs', () => easymidi.getInputs()),
    openOutput(name, virtual) {
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
