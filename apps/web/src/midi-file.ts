import type { RollNote } from './piano-roll.js';

/** Fetches a sample from the dashboard server and flattens every track's notes into one roll. */
export async function loadMidiNotes(url: string): Promise<{ notes: RollNote[]; duration: number }> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${(await res.text()).trim()}`);
  const bytes = await res.arrayBuffer();
  const { Midi } = await import('@tonejs/midi');
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (cause) {
    throw new Error(`${url}: not a readable MIDI file (${(cause as Error).message})`);
  }
  const notes: RollNote[] = [];
  for (const track of midi.tracks) {
    for (const n of track.notes) {
      notes.push({ pitch: n.midi, start: n.time, end: n.time + n.duration, velocity: n.velocity });
    }
  }
  notes.sort((a, b) => a.start - b.start);
  return { notes, duration: midi.duration };
}
