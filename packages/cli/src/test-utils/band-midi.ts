/**
 * A small format-0 MIDI file with a piano line on channel 1, held by the sustain pedal (CC64) from the
 * start to beat 8, and kick/snare on channel 10 (0-based 9),
 * 480 ticks per beat at the default 120 bpm, written byte by byte so the channel of every note is known.
 * The drum pitches (36, 38) lie inside the seed vocab's range, so only the channel decides their fate.
 */
export const PIANO_PITCHES = [60, 62, 64, 65, 67, 69, 71, 72];
export const DRUM_PITCHES = [36, 38];

export function bandMidi(): Uint8Array {
  const events: { tick: number; bytes: number[] }[] = [
    { tick: 0, bytes: [0xb0, 64, 127] },
    { tick: 3900, bytes: [0xb0, 64, 0] },
  ];
  PIANO_PITCHES.forEach((pitch, i) => {
    events.push(
      { tick: i * 480, bytes: [0x90, pitch, 80] },
      { tick: i * 480 + 400, bytes: [0x80, pitch, 0] },
    );
  });
  for (let i = 0; i < 16; i++) {
    const pitch = DRUM_PITCHES[i % 2] as number;
    events.push(
      { tick: i * 240, bytes: [0x99, pitch, 100] },
      { tick: i * 240 + 60, bytes: [0x89, pitch, 0] },
    );
  }
  events.sort((a, b) => a.tick - b.tick);
  const body: number[] = [];
  let last = 0;
  for (const e of events) {
    body.push(...varLen(e.tick - last), ...e.bytes);
    last = e.tick;
  }
  body.push(0, 0xff, 0x2f, 0);
  const n = body.length;
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0];
  const track = [0x4d, 0x54, 0x72, 0x6b, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([...header, ...track, ...body]);
}

function varLen(n: number): number[] {
  const out = [n & 0x7f];
  for (let v = n >> 7; v > 0; v >>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}
