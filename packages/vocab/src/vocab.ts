import { parseVocabConfig, presets, type VocabConfig } from './config.js';
import { VocabError } from './errors.js';

export type TokenKind = 'pad' | 'note_on' | 'note_off' | 'time_shift' | 'velocity' | 'start' | 'end';

/** Id <-> meaning for one `VocabConfig`. All lookups are O(1); build it once and pass it around. */
export interface Vocab {
  readonly config: Readonly<VocabConfig>;
  /** Number of ids (416 for the `seed` preset). */
  readonly size: number;
  readonly pad: number;
  readonly start: number;
  readonly end: number;
  /** Milliseconds per time step. */
  readonly stepMs: number;
  /** First id of each range; useful for fast loops that avoid `kindOf`. */
  readonly ranges: Readonly<
    Record<Exclude<TokenKind, 'pad' | 'start' | 'end'>, { first: number; count: number }>
  >;
  noteOn(pitch: number): number;
  noteOff(pitch: number): number;
  /** Id for a shift of `steps` (1..maxShiftSteps) time steps. */
  timeShift(steps: number): number;
  velocity(bin: number): number;
  kindOf(id: number): TokenKind;
  /** `note_on_60`, `note_off_60`, `time_shift_1` (= 1 step), `set_velocity_0`, `<pad>`, `<start>`, `<end>`. */
  name(id: number): string;
  idOf(name: string): number;
  /** Human text, e.g. `note_on 60 (C4)`, `time_shift 3 steps (24 ms)`, `velocity bin 20 (80-83)`. */
  describe(id: number): string;
  /** Payload of an id: pitch for notes, steps for shifts, bin for velocity, 0 for specials. */
  valueOf(id: number): number;
  /** MIDI velocity (1..127) -> bin. */
  binOfVelocity(velocity: number): number;
  /** Bin -> MIDI velocity used on decode (middle of the bin, never 0: velocity 0 would be a note-off). */
  velocityOfBin(bin: number): number;
}

const NOTE_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

function pitchName(p: number): string {
  return `${NOTE_NAMES[p % 12]}${Math.floor(p / 12) - 1}`;
}

function checkInt(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new VocabError('BAD_ARGUMENT', `${what} must be an integer in [${lo}, ${hi}], got ${v}`);
  }
}

/** Builds the vocabulary for `config` (validated; default: the `seed` preset, 416 ids). */
export function createVocab(config?: unknown): Vocab {
  const cfg: Readonly<VocabConfig> = Object.freeze(parseVocabConfig(config ?? presets.seed));
  const nPitch = cfg.maxPitch - cfg.minPitch + 1;
  const noteOnFirst = 1;
  const noteOffFirst = noteOnFirst + nPitch;
  const shiftFirst = noteOffFirst + nPitch;
  const velFirst = shiftFirst + cfg.maxShiftSteps;
  const start = velFirst + cfg.velocityBins;
  const end = start + 1;
  const size = end + 1;

  const kinds: TokenKind[] = new Array(size);
  const values = new Int32Array(size);
  const names: string[] = new Array(size);
  kinds[0] = 'pad';
  names[0] = '<pad>';
  for (let i = 0; i < nPitch; i++) {
    const p = cfg.minPitch + i;
    kinds[noteOnFirst + i] = 'note_on';
    values[noteOnFirst + i] = p;
    names[noteOnFirst + i] = `note_on_${p}`;
    kinds[noteOffFirst + i] = 'note_off';
    values[noteOffFirst + i] = p;
    names[noteOffFirst + i] = `note_off_${p}`;
  }
  for (let k = 1; k <= cfg.maxShiftSteps; k++) {
    kinds[shiftFirst + k - 1] = 'time_shift';
    values[shiftFirst + k - 1] = k;
    names[shiftFirst + k - 1] = `time_shift_${k}`;
  }
  for (let b = 0; b < cfg.velocityBins; b++) {
    kinds[velFirst + b] = 'velocity';
    values[velFirst + b] = b;
    names[velFirst + b] = `set_velocity_${b}`;
  }
  kinds[start] = 'start';
  names[start] = '<start>';
  kinds[end] = 'end';
  names[end] = '<end>';
  const byName = new Map(names.map((n, i) => [n, i]));

  const bins = cfg.velocityBins;
  const binOfVelocity = (v: number): number => {
    checkInt('velocity', v, 0, 127);
    return Math.floor((v * bins) / 128);
  };
  const binLow = (b: number): number => Math.ceil((b * 128) / bins);
  const velocityOfBin = (b: number): number => {
    checkInt('velocity bin', b, 0, bins - 1);
    // Middle of [low, high] of the bin, so decode -> encode lands in the same bin.
    const mid = Math.floor((binLow(b) + binLow(b + 1) - 1) / 2);
    return Math.min(127, Math.max(1, mid));
  };
  const checkId = (id: number): void => {
    if (!Number.isInteger(id) || id < 0 || id >= size) {
      throw new VocabError('BAD_TOKEN', `token id must be an integer in [0, ${size - 1}], got ${id}`);
    }
  };

  const vocab: Vocab = {
    config: cfg,
    size,
    pad: 0,
    start,
    end,
    stepMs: cfg.stepMs,
    ranges: Object.freeze({
      note_on: { first: noteOnFirst, count: nPitch },
      note_off: { first: noteOffFirst, count: nPitch },
      time_shift: { first: shiftFirst, count: cfg.maxShiftSteps },
      velocity: { first: velFirst, count: bins },
    }),
    noteOn(p) {
      checkInt('pitch', p, cfg.minPitch, cfg.maxPitch);
      return noteOnFirst + p - cfg.minPitch;
    },
    noteOff(p) {
      checkInt('pitch', p, cfg.minPitch, cfg.maxPitch);
      return noteOffFirst + p - cfg.minPitch;
    },
    timeShift(steps) {
      checkInt('time shift steps', steps, 1, cfg.maxShiftSteps);
      return shiftFirst + steps - 1;
    },
    velocity(bin) {
      checkInt('velocity bin', bin, 0, bins - 1);
      return velFirst + bin;
    },
    kindOf(id) {
      checkId(id);
      return kinds[id]!;
    },
    name(id) {
      checkId(id);
      return names[id]!;
    },
    idOf(name) {
      const id = byName.get(name);
      if (id === undefined)
        throw new VocabError('BAD_TOKEN', `unknown token name '${name}' in vocab '${cfg.name}'`);
      return id;
    },
    valueOf(id) {
      checkId(id);
      return values[id]!;
    },
    describe(id) {
      checkId(id);
      const v = values[id]!;
      switch (kinds[id]) {
        case 'note_on':
          return `note_on ${v} (${pitchName(v)})`;
        case 'note_off':
          return `note_off ${v} (${pitchName(v)})`;
        case 'time_shift':
          return `time_shift ${v} step${v === 1 ? '' : 's'} (${v * cfg.stepMs} ms)`;
        case 'velocity':
          return `velocity bin ${v} (MIDI ${binLow(v)}-${binLow(v + 1) - 1})`;
        case 'pad':
          return 'padding (ignored)';
        case 'start':
          return 'start of sequence';
        default:
          return 'end of sequence';
      }
    },
    binOfVelocity,
    velocityOfBin,
  };
  return Object.freeze(vocab);
}
