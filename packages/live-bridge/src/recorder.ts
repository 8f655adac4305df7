import type { ChannelMessage } from './messages.js';

/** Ticks per quarter note in recorded files: fine enough that 1 tick < 1 ms up to 62 BPM. */
export const RECORD_PPQ = 960;

/**
 * Collects the channel messages the bridge sends, with their clock times, and writes them as a
 * Standard MIDI File (format 0, one track). The tempo meta event is the bridge's BPM, so bars in the
 * DAW line up with the bridge's grid; times are converted from ms at that tempo. A tempo followed from
 * an external clock is not written as a tempo map: the file keeps real time, not beats.
 */
export class MidiRecorder {
  private readonly events: Array<{ ms: number; message: ChannelMessage }> = [];
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

  /** The file's bytes. Events are sorted by time (stable), so late inserts cannot break delta times. */
  toBytes(): Uint8Array {
    const msPerTick = 60_000 / this.bpm / RECORD_PPQ;
    const origin = this.originMs ?? 0;
    const sorted = this.events.map((e, i) => ({ ...e, i })).sort((a, b) => a.ms - b.ms || a.i - b.i);
    const track: number[] = [];
    const usPerBeat = Math.round(60_000_000 / this.bpm);
    // Tempo meta event at time 0: FF 51 03 tttttt.
    track.push(0, 0xff, 0x51, 0x03, (usPerBeat >> 16) & 0xff, (usPerBeat >> 8) & 0xff, usPerBeat & 0xff);
    let lastTick = 0;
    for (const { ms, message } of sorted) {
      const tick = Math.max(lastTick, Math.round((ms - origin) / msPerTick));
      writeVarLen(track, tick - lastTick);
      lastTick = tick;
      track.push(...channelBytes(message));
    }
    track.push(0, 0xff, 0x2f, 0x00); // end of track
    const header = [
      0x4d,
      0x54,
      0x68,
      0x64,
      0,
      0,
      0,
      6,
      0,
      0,
      0,
      1,
      (RECORD_PPQ >> 8) & 0xff,
      RECORD_PPQ & 0xff,
    ];
    const len = track.length;
    const trackHeader = [
      0x4d,
      0x54,
      0x72,
      0x6b,
      (len >>> 24) & 0xff,
      (len >> 16) & 0xff,
      (len >> 8) & 0xff,
      len & 0xff,
    ];
    return Uint8Array.from([...header, ...trackHeader, ...track]);
  }
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

/** MIDI variable-length quantity: 7 bits per byte, most significant first, high bit = more follows. */
function writeVarLen(out: number[], value: number): void {
  const bytes = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) bytes.unshift((v & 0x7f) | 0x80);
  out.push(...bytes);
}
