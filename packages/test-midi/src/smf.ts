/**
 * Writer of raw Standard MIDI Files, byte by byte, so tests can build exactly the events they need
 * (running status, velocity-0 note-ons, unterminated notes, pedal, format 2, the channel of every
 * note...), which a high-level writer such as @tonejs/midi would normalise away.
 */
export interface RawEvent {
  /** Absolute tick. Events of a track must be given in time order. */
  tick: number;
  /** Status and data bytes (meta: 0xff, type, then data without the length). */
  bytes: number[];
}

function varLen(n: number): number[] {
  const out = [n & 0x7f];
  let v = Math.floor(n / 128);
  while (v > 0) {
    out.unshift((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  return out;
}

export const on = (tick: number, pitch: number, velocity: number, channel = 0): RawEvent => ({
  tick,
  bytes: [0x90 | channel, pitch, velocity],
});
export const off = (tick: number, pitch: number, channel = 0): RawEvent => ({
  tick,
  bytes: [0x80 | channel, pitch, 0],
});
export const cc = (tick: number, control: number, value: number, channel = 0): RawEvent => ({
  tick,
  bytes: [0xb0 | channel, control, value],
});
export const tempo = (tick: number, microsPerBeat: number): RawEvent => ({
  tick,
  bytes: [0xff, 0x51, (microsPerBeat >> 16) & 0xff, (microsPerBeat >> 8) & 0xff, microsPerBeat & 0xff],
});

function trackBytes(events: readonly RawEvent[], endOfTrack: boolean): number[] {
  const out: number[] = [];
  let last = 0;
  for (const e of events) {
    out.push(...varLen(e.tick - last));
    last = e.tick;
    if (e.bytes[0] === 0xff) out.push(0xff, e.bytes[1]!, ...varLen(e.bytes.length - 2), ...e.bytes.slice(2));
    else out.push(...e.bytes);
  }
  if (endOfTrack) out.push(0, 0xff, 0x2f, 0);
  return out;
}

export function buildSmf(
  tracks: readonly (readonly RawEvent[])[],
  options: { ppq?: number; format?: number; division?: number; endOfTrack?: boolean } = {},
): Uint8Array {
  const division = options.division ?? options.ppq ?? 480;
  const format = options.format ?? (tracks.length > 1 ? 1 : 0);
  const out = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, format, tracks.length >> 8, tracks.length & 0xff];
  out.push(division >> 8, division & 0xff);
  for (const t of tracks) {
    const body = trackBytes(t, options.endOfTrack ?? true);
    const n = body.length;
    out.push(0x4d, 0x54, 0x72, 0x6b, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, ...body);
  }
  return Uint8Array.from(out);
}
