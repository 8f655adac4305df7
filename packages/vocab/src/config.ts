import { VocabError } from './errors.js';

/** How the sustain pedal (CC64) changes note lengths when reading MIDI. */
export type SustainMode = 'extend' | 'ignore';

/**
 * The vocabulary as data. Ids are laid out in this order, so the layout is a pure function of the config:
 * `pad` (0), note_on (one per pitch), note_off (one per pitch), time shifts (1..maxShiftSteps steps),
 * velocity bins, `start`, `end`.
 */
export interface VocabConfig {
  /** Label stored with datasets and checkpoints (`seed`, `performance-rnn` or your own). */
  name: string;
  /** Lowest and highest MIDI pitch that get tokens (inclusive, 0..127). Notes outside are reported. */
  minPitch: number;
  maxPitch: number;
  /** Milliseconds of one time step; a time-shift token moves time by k steps. */
  stepMs: number;
  /** Largest shift one token can express (k = 1..maxShiftSteps); longer gaps use several tokens. */
  maxShiftSteps: number;
  /** Number of velocity bins; MIDI velocity v (1..127) goes to bin floor(v * bins / 128). */
  velocityBins: number;
  /** CC64 handling when reading MIDI: `extend` holds released keys until the pedal lifts (as Magenta). */
  sustain: SustainMode;
}

/**
 * `seed`: the 416-id layout of spectraldoy/music-transformer (docs/original-project.md): 125 shifts of 8 ms,
 * 32 velocity bins, all 128 pitches. `performance-rnn`: Oore et al. 2018, 100 shifts of 10 ms
 * (388 events + pad/start/end = 391 ids).
 */
export const presets: Readonly<Record<'seed' | 'performance-rnn', Readonly<VocabConfig>>> = Object.freeze({
  seed: Object.freeze({
    name: 'seed',
    minPitch: 0,
    maxPitch: 127,
    stepMs: 8,
    maxShiftSteps: 125,
    velocityBins: 32,
    sustain: 'extend' as SustainMode,
  }),
  'performance-rnn': Object.freeze({
    name: 'performance-rnn',
    minPitch: 0,
    maxPitch: 127,
    stepMs: 10,
    maxShiftSteps: 100,
    velocityBins: 32,
    sustain: 'extend' as SustainMode,
  }),
});

const KEYS: readonly (keyof VocabConfig)[] = [
  'name',
  'minPitch',
  'maxPitch',
  'stepMs',
  'maxShiftSteps',
  'velocityBins',
  'sustain',
];

function intIn(obj: Record<string, unknown>, key: string, lo: number, hi: number, fallback: number): number {
  const v = obj[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new VocabError(
      'BAD_CONFIG',
      `vocab config: '${key}' must be an integer in [${lo}, ${hi}], got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/**
 * Validates an untrusted config (JSON file, checkpoint metadata, CLI flags). Missing keys come from
 * `base` (default: the `seed` preset); unknown keys are an error, so a misspelt key never vanishes.
 */
export function parseVocabConfig(input: unknown, base: Readonly<VocabConfig> = presets.seed): VocabConfig {
  if (input === undefined) return { ...base };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new VocabError('BAD_CONFIG', `vocab config must be an object, got ${JSON.stringify(input)}`);
  }
  const obj = input as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw new VocabError('BAD_CONFIG', `vocab config: unknown key '${key}' (known: ${KEYS.join(', ')})`);
    }
  }
  const name = obj.name ?? base.name;
  if (typeof name !== 'string' || name.length === 0) {
    throw new VocabError(
      'BAD_CONFIG',
      `vocab config: 'name' must be a non-empty string, got ${JSON.stringify(name)}`,
    );
  }
  const sustain = obj.sustain ?? base.sustain;
  if (sustain !== 'extend' && sustain !== 'ignore') {
    throw new VocabError(
      'BAD_CONFIG',
      `vocab config: 'sustain' must be 'extend' or 'ignore', got ${JSON.stringify(sustain)}`,
    );
  }
  const minPitch = intIn(obj, 'minPitch', 0, 127, base.minPitch);
  const maxPitch = intIn(obj, 'maxPitch', 0, 127, base.maxPitch);
  if (minPitch > maxPitch) {
    throw new VocabError('BAD_CONFIG', `vocab config: minPitch ${minPitch} is above maxPitch ${maxPitch}`);
  }
  const config: VocabConfig = {
    name,
    minPitch,
    maxPitch,
    stepMs: intIn(obj, 'stepMs', 1, 1000, base.stepMs),
    maxShiftSteps: intIn(obj, 'maxShiftSteps', 1, 1000, base.maxShiftSteps),
    velocityBins: intIn(obj, 'velocityBins', 1, 127, base.velocityBins),
    sustain,
  };
  return config;
}
