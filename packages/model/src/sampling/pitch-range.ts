import { ModelError } from '../errors.js';

/** The lowest and highest MIDI pitch an instrument can play, both included (0 <= low <= high <= 127). */
export interface PitchRange {
  readonly low: number;
  readonly high: number;
}

/**
 * Named instrument ranges (MIDI note numbers, written pitch for the usual orchestral tunings). `piano` is
 * the 88-key A0-C8 the bundled model's corpus is played on, and the default; `full` switches the mask off.
 */
export const INSTRUMENT_RANGES = Object.freeze({
  piano: Object.freeze({ low: 21, high: 108 }),
  harpsichord: Object.freeze({ low: 29, high: 89 }),
  organ: Object.freeze({ low: 24, high: 96 }),
  guitar: Object.freeze({ low: 40, high: 88 }),
  bass: Object.freeze({ low: 28, high: 67 }),
  violin: Object.freeze({ low: 55, high: 103 }),
  viola: Object.freeze({ low: 48, high: 91 }),
  cello: Object.freeze({ low: 36, high: 76 }),
  flute: Object.freeze({ low: 60, high: 96 }),
  full: Object.freeze({ low: 0, high: 127 }),
} satisfies Record<string, PitchRange>);

export type InstrumentName = keyof typeof INSTRUMENT_RANGES;

/** What sampling uses when no range is given: the piano's 21-108. */
export const DEFAULT_PITCH_RANGE: PitchRange = INSTRUMENT_RANGES.piano;

function fail(message: string): never {
  throw new ModelError('BAD_INPUT', message);
}

function checkRange(r: PitchRange, what: string): PitchRange {
  const ok = (p: unknown) => Number.isInteger(p) && (p as number) >= 0 && (p as number) <= 127;
  if (!ok(r.low) || !ok(r.high) || r.low > r.high) {
    fail(`${what} must have MIDI pitches 0 <= low <= high <= 127, got ${r.low}-${r.high}`);
  }
  return { low: r.low, high: r.high };
}

/**
 * Reads a range as users write it: `LO-HI` (MIDI note numbers, e.g. `21-108`) or an instrument name from
 * `INSTRUMENT_RANGES` (e.g. `violin`); an object `{ low, high }` is checked and returned.
 */
export function parsePitchRange(value: string | PitchRange): PitchRange {
  if (typeof value === 'object' && value !== null) return checkRange(value, 'pitchRange');
  if (typeof value !== 'string') fail(`pitchRange must be 'LO-HI', an instrument name or { low, high }`);
  const text = value.trim().toLowerCase();
  const match = /^(\d{1,3})\s*-\s*(\d{1,3})$/.exec(text);
  if (match) return checkRange({ low: Number(match[1]), high: Number(match[2]) }, `pitch range '${value}'`);
  const named = (INSTRUMENT_RANGES as Record<string, PitchRange>)[text];
  if (named === undefined) {
    fail(
      `pitch range '${value}' is neither LO-HI (e.g. 21-108) nor an instrument (${Object.keys(INSTRUMENT_RANGES).join(', ')})`,
    );
  }
  return named;
}

/**
 * Note-on ids to mask so that no note outside `range` can start: id `first + i` is pitch `minPitch + i`.
 * Note-offs are left to the grammar: a primer may hold a note outside the range, and it must still be
 * able to end.
 */
export function noteOnsOutside(
  range: PitchRange,
  noteOn: { readonly first: number; readonly count: number },
  minPitch: number,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < noteOn.count; i++) {
    const pitch = minPitch + i;
    if (pitch < range.low || pitch > range.high) out.push(noteOn.first + i);
  }
  if (out.length === noteOn.count) {
    fail(
      `pitch range ${range.low}-${range.high} leaves no note of the vocabulary (${minPitch}-${minPitch + noteOn.count - 1})`,
    );
  }
  return out;
}
