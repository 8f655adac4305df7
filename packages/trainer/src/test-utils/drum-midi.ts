/**
 * A minimal format-0 Standard MIDI File for drum tests: a piano melody on channel 1 and a drum pattern
 * on channel 10 (0-based 9), 480 ticks per beat at the default 120 bpm. Written byte by byte so the test
 * controls exactly which channel each note is on.
 */
export const PIANO_PITCHES = [60, 62, 64, 65, 67, 69, 71, 72];
/** Kick and snare (GM 36, 38): inside the seed vocab's 21..108 range, so only the channel decides. */
export const DRUM_PITCHES = [36, 38];

export function pianoAndDrumsMidi(): Uint8Array {
  const events: { tick: number; bytes: number[] }[] = [];
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
