import { type DumpedMessage, dumpedNotes } from '@music-transformer/test-midi/jack';

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
