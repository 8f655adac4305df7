import { type DumpedMessage, dumpedNotes } from '@music-transformer/test-midi/jack';
import { quantile } from './jack.js';

/** The dummy driver's rate (scripts/start-jack.sh). */
const FRAME_RATE = 48_000;

export interface Dumped {
  on: boolean;
  pitch: number;
  /** JACK frame time of arrival, in ms. */
  ms: number;
}

/** The note messages among what `jack_midi_dump -a` received, in order, with their arrival in ms. */
export function dumpedNoteTimes(messages: readonly DumpedMessage[]): Dumped[] {
  return dumpedNotes(messages).map(({ on, pitch, frame }) => ({
    on,
    pitch,
    ms: (frame / FRAME_RATE) * 1000,
  }));
}

/**
 * Onset deviation of each received note-on from its due time, after removing the latency of the JACK
 * graph. jack_midi_dump -a counts the frames of its own process cycles, so a cycle it misses (a busy
 * machine) is lost from its clock for good: a step in every later offset, not a late note. Each note
 * is therefore measured against the median offset of the notes within 1 s of it (`local`); `global`
 * uses one median for the whole take.
 */
export function onsetDeviation(dueOns: readonly number[], receivedOns: readonly number[]) {
  const offsets = receivedOns.map((ms, i) => ms - (dueOns[i] as number));
  const median = quantile(offsets, 0.5);
  const global = offsets.map((o) => Math.abs(o - median));
  const local = offsets.map((o, i) => {
    const near = offsets.filter((_, j) => Math.abs((dueOns[j] as number) - (dueOns[i] as number)) <= 1000);
    return Math.abs(o - quantile(near, 0.5));
  });
  const figures = (d: number[]) => ({ p50: quantile(d, 0.5), p99: quantile(d, 0.99), max: Math.max(...d) });
  return { global: figures(global), local: figures(local) };
}
