import { defaultVocab } from './default-vocab.js';
import { VocabError } from './errors.js';
import type { Note, StepNote } from './notes.js';
import type { Vocab } from './vocab.js';

export interface DecodeOptions {
  /** Vocabulary the ids belong to. Default: the `seed` preset. */
  vocab?: Vocab;
  /** Longest note in seconds; longer ones are cut (a missing note-off must not drone forever). Default 5. */
  maxNoteSeconds?: number;
  /** MIDI velocity of notes before the first velocity token. Default 64. */
  defaultVelocity?: number;
}

/** What the decoder repaired; generated token streams are often not well formed. */
export interface DecodeStats {
  /** note_off for a pitch that was not sounding: ignored. */
  orphanNoteOffs: number;
  /** Notes with no time between on and off: inaudible, dropped. */
  zeroLengthDropped: number;
  /** Notes longer than `maxNoteSeconds`: cut. */
  capped: number;
  /** Notes still sounding at the end of the tokens: closed there. */
  closedAtEnd: number;
  /** note_on for a pitch already sounding: the earlier note ends there. */
  restruck: number;
}

function checkOptions(options: DecodeOptions): { maxNoteSeconds: number; defaultVelocity: number } {
  const maxNoteSeconds = options.maxNoteSeconds ?? 5;
  const defaultVelocity = options.defaultVelocity ?? 64;
  if (!(maxNoteSeconds > 0) || !Number.isFinite(maxNoteSeconds)) {
    throw new VocabError('BAD_ARGUMENT', `maxNoteSeconds must be a positive number, got ${maxNoteSeconds}`);
  }
  if (!Number.isInteger(defaultVelocity) || defaultVelocity < 1 || defaultVelocity > 127) {
    throw new VocabError(
      'BAD_ARGUMENT',
      `defaultVelocity must be an integer in [1, 127], got ${defaultVelocity}`,
    );
  }
  return { maxNoteSeconds, defaultVelocity };
}

/**
 * Token ids -> notes on the step grid, sorted by onset then pitch. Velocity is carried until the next
 * velocity token (the original reset it to 0 after every note). pad/start/end are ignored; ids outside
 * the vocab throw `VocabError` (`BAD_TOKEN`).
 */
export function tokensToStepNotes(
  tokens: ArrayLike<number>,
  options: DecodeOptions = {},
): { notes: StepNote[]; stats: DecodeStats } {
  const vocab = options.vocab ?? defaultVocab();
  const { maxNoteSeconds, defaultVelocity } = checkOptions(options);
  const maxSteps = Math.max(1, Math.floor((maxNoteSeconds * 1000) / vocab.stepMs));
  const stats: DecodeStats = {
    orphanNoteOffs: 0,
    zeroLengthDropped: 0,
    capped: 0,
    closedAtEnd: 0,
    restruck: 0,
  };
  const { note_on: on, note_off: off, time_shift: shift, velocity: vel } = vocab.ranges;
  const minPitch = vocab.config.minPitch;
  const openStart = new Float64Array(128).fill(-1);
  const openVel = new Uint8Array(128);
  const notes: StepNote[] = [];
  let now = 0;
  let velocity = defaultVelocity;

  const close = (pitch: number, at: number): void => {
    const start = openStart[pitch]!;
    openStart[pitch] = -1;
    if (at <= start) {
      stats.zeroLengthDropped++;
      return;
    }
    let end = at;
    if (end - start > maxSteps) {
      end = start + maxSteps;
      stats.capped++;
    }
    notes.push({ pitch, velocity: openVel[pitch]!, startStep: start, endStep: end });
  };

  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= vocab.size) {
      throw new VocabError('BAD_TOKEN', `token ${i} is ${id}, outside the vocab (0..${vocab.size - 1})`);
    }
    if (id >= shift.first && id < shift.first + shift.count) {
      now += id - shift.first + 1;
    } else if (id >= on.first && id < on.first + on.count) {
      const pitch = id - on.first + minPitch;
      if (openStart[pitch]! >= 0) {
        stats.restruck++;
        close(pitch, now);
      }
      openStart[pitch] = now;
      openVel[pitch] = velocity;
    } else if (id >= off.first && id < off.first + off.count) {
      const pitch = id - off.first + minPitch;
      if (openStart[pitch]! >= 0) close(pitch, now);
      else stats.orphanNoteOffs++;
    } else if (id >= vel.first && id < vel.first + vel.count) {
      velocity = vocab.velocityOfBin(id - vel.first);
    }
    // pad, start and end carry no musical event.
  }
  for (let p = 0; p < 128; p++) {
    if (openStart[p]! >= 0) {
      stats.closedAtEnd++;
      close(p, now);
    }
  }
  notes.sort((a, b) => a.startStep - b.startStep || a.pitch - b.pitch);
  return { notes, stats };
}

/** Token ids -> notes in seconds (see `tokensToStepNotes`). */
export function tokensToNotes(
  tokens: ArrayLike<number>,
  options: DecodeOptions = {},
): { notes: Note[]; stats: DecodeStats } {
  const { notes, stats } = tokensToStepNotes(tokens, options);
  const s = (options.vocab ?? defaultVocab()).stepMs / 1000;
  return {
    notes: notes.map((n) => ({
      pitch: n.pitch,
      velocity: n.velocity,
      start: n.startStep * s,
      end: n.endStep * s,
    })),
    stats,
  };
}
