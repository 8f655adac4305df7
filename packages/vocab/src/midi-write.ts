import { VocabError } from './errors.js';
import type { StepNote } from './notes.js';
import { Midi } from './tonejs.js';

export interface WriteOptions {
  /** Tempo written to the file, in BPM; rounded so one beat is a whole number of milliseconds. Default 120. */
  bpm?: number;
  /** Track name. Default 'music-transformer'. */
  name?: string;
}

/** The time grid of a written file: every time step is exactly `ticksPerStep` ticks. */
export interface MidiTiming {
  ppq: number;
  microsPerBeat: number;
  ticksPerStep: number;
  /** The BPM actually written (the requested one rounded to whole ms per beat). */
  bpm: number;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Picks PPQ so that one step of `stepMs` is a whole number of ticks at the requested tempo: with
 * m = ms per beat, ticks per ms = ppq / m, so ppq = m / gcd(m, stepMs) gives stepMs / gcd(m, stepMs)
 * whole ticks per step. It is then multiplied up to at least 480 (a usual DAW resolution) while <= 32767.
 */
export function midiTiming(stepMs: number, bpm = 120): MidiTiming {
  if (!Number.isFinite(bpm) || bpm < 2 || bpm > 1000) {
    throw new VocabError('BAD_ARGUMENT', `bpm must be a number in [2, 1000], got ${bpm}`);
  }
  const msPerBeat = Math.round(60000 / bpm);
  const g = gcd(msPerBeat, stepMs);
  let ppq = msPerBeat / g;
  let ticksPerStep = stepMs / g;
  const k = Math.max(1, Math.min(Math.ceil(480 / ppq), Math.floor(32767 / ppq)));
  ppq *= k;
  ticksPerStep *= k;
  return { ppq, microsPerBeat: msPerBeat * 1000, ticksPerStep, bpm: 60000 / msPerBeat };
}

/** A header-only SMF with the given PPQ: @tonejs/midi only takes its PPQ from parsed bytes. */
function emptyMidiWithPpq(ppq: number): Uint8Array {
  return Uint8Array.of(
    ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 1, ppq >> 8, ppq & 0xff],
    ...[0x4d, 0x54, 0x72, 0x6b, 0, 0, 0, 4, 0, 0xff, 0x2f, 0],
  );
}

/** Step notes -> a type-1 MIDI file (tempo track + one piano track, channel 0) with exact tick timing. */
export function stepNotesToMidi(
  notes: readonly StepNote[],
  stepMs: number,
  options: WriteOptions = {},
): Uint8Array {
  const timing = midiTiming(stepMs, options.bpm ?? 120);
  const midi = new Midi(emptyMidiWithPpq(timing.ppq));
  // @tonejs/midi writes floor(60e6 / bpm) microseconds; asking for 60e6 / (m + 0.5) makes that floor
  // exactly m whatever the float rounding, so the tempo is the whole-microsecond value we planned on.
  midi.header.setTempo(60e6 / (timing.microsPerBeat + 0.5));
  midi.header.name = options.name ?? 'music-transformer';
  const track = midi.addTrack();
  track.name = options.name ?? 'music-transformer';
  track.channel = 0;
  for (const n of notes) {
    track.addNote({
      midi: n.pitch,
      // @tonejs/midi writes floor(velocity * 127); the +0.5 keeps float error from losing one step.
      velocity: (n.velocity + 0.5) / 127,
      ticks: n.startStep * timing.ticksPerStep,
      durationTicks: (n.endStep - n.startStep) * timing.ticksPerStep,
    });
  }
  return midi.toArray();
}
