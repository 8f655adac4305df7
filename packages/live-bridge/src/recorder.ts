import * as tonejs from '@tonejs/midi';
import type { ChannelMessage } from './messages.js';

/** Ticks per quarter note in recorded files: fine enough that 1 tick < 1 ms up to 62 BPM. */
export const RECORD_PPQ = 960;

// @tonejs/midi's Node build is CommonJS, whose named exports Node's ESM loader puts under `default`.
const ns = tonejs as typeof tonejs & { default?: typeof tonejs };
const Midi: typeof tonejs.Midi = ns.Midi ?? (ns.default as typeof tonejs).Midi;

/** A header-only file with RECORD_PPQ: @tonejs/midi takes its PPQ only from parsed bytes. */
const EMPTY_AT_RECORD_PPQ = Uint8Array.of(
  ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1, RECORD_PPQ >> 8, RECORD_PPQ & 0xff],
  ...[0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 4, 0, 0xff, 0x2f, 0],
);

interface Recorded {
  ms: number;
  message: ChannelMessage;
}

/**
 * Collects the channel messages the bridge sends, with their clock times, and writes them as a
 * Standard MIDI File through @tonejs/midi: a tempo track and one track per MIDI channel used. The tempo
 * is the bridge's BPM, so bars in the DAW line up with the bridge's grid; times are converted from ms at
 * that tempo. A tempo followed from an external clock is not written as a tempo map: the file keeps real
 * time, not beats. Note-ons and note-offs are paired per channel and pitch in order (a repeated note-on
 * of a sounding pitch is a second voice); a note still sounding when the file is written ends at the
 * last recorded message, and a note-off without a note-on is dropped.
 */
export class MidiRecorder {
  private readonly events: Recorded[] = [];
  private originMs: number | null = null;

  constructor(private readonly bpm: number) {}

  get count(): number {
    return this.events.length;
  }

  /** Records `message` sent at clock time `ms`; the first recorded message is time 0 of the file. */
  add(message: ChannelMessage, ms: number): void {
    this.originMs ??= ms;
    this.events.push({ message, ms });
  }

  /** The file's bytes. Events are sorted by time (stable), so late inserts cannot break the order. */
  toBytes(): Uint8Array {
    const msPerTick = 60_000 / this.bpm / RECORD_PPQ;
    const origin = this.originMs ?? 0;
    const tickOf = (ms: number) => Math.max(0, Math.round((ms - origin) / msPerTick));
    const sorted = this.events.map((e, i) => ({ ...e, i })).sort((a, b) => a.ms - b.ms || a.i - b.i);
    const midi = new Midi(EMPTY_AT_RECORD_PPQ);
    // @tonejs/midi writes floor(60e6 / bpm) microseconds per beat; rounding to the nearest whole
    // microsecond first (the +0.5) keeps float error from losing one.
    midi.header.setTempo(60e6 / (Math.round(60e6 / this.bpm) + 0.5));
    const tracks = new Map<number, ReturnType<typeof midi.addTrack>>();
    const trackOf = (channel: number) => {
      let track = tracks.get(channel);
      if (!track) {
        track = midi.addTrack();
        track.channel = channel;
        tracks.set(channel, track);
      }
      return track;
    };
    const open = new Map<number, Array<{ tick: number; velocity: number }>>();
    for (const { ms, message } of sorted) {
      const tick = tickOf(ms);
      const track = trackOf(message.channel);
      if (message.type === 'cc') {
        track.addCC({ number: message.controller, value: (message.value + 0.5) / 127, ticks: tick });
        continue;
      }
      const key = message.channel * 128 + message.note;
      const voices = open.get(key) ?? [];
      open.set(key, voices);
      if (message.type === 'noteon' && message.velocity > 0) {
        voices.push({ tick, velocity: message.velocity });
        continue;
      }
      const start = voices.shift();
      if (start) addNote(track, message.note, start, tick);
    }
    const lastTick = sorted.length > 0 ? tickOf((sorted.at(-1) as Recorded).ms) : 0;
    for (const [key, voices] of open) {
      for (const start of voices) addNote(trackOf(key >> 7), key & 0x7f, start, lastTick);
    }
    return midi.toArray();
  }
}

function addNote(
  track: { addNote(note: { midi: number; velocity: number; ticks: number; durationTicks: number }): unknown },
  pitch: number,
  start: { tick: number; velocity: number },
  endTick: number,
): void {
  // @tonejs/midi writes floor(velocity * 127); the +0.5 keeps float error from losing one step.
  track.addNote({
    midi: pitch,
    velocity: (start.velocity + 0.5) / 127,
    ticks: start.tick,
    durationTicks: endTick - start.tick,
  });
}

/** The three bytes of a channel message. */
export function channelBytes(message: ChannelMessage): [number, number, number] {
  switch (message.type) {
    case 'noteon':
      return [0x90 | message.channel, message.note, message.velocity];
    case 'noteoff':
      return [0x80 | message.channel, message.note, message.velocity];
    case 'cc':
      return [0xb0 | message.channel, message.controller, message.value];
  }
}
