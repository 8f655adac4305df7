import { BridgeError } from './errors.js';

/** Sampling settings handed to the generation session in the worker. */
export interface SamplingControls {
  /** Softmax temperature, > 0 (1 = the model's distribution). */
  temperature: number;
  /** Keep only the k most likely tokens; 0 = off. */
  topK: number;
  /** Keep the smallest set of tokens with this much probability; 1 = off. */
  topP: number;
}

/** Everything that can change while the bridge runs. */
export interface Controls extends SamplingControls {
  /** Fraction of generated notes that are played, in [0, 1]; thinning happens after generation. */
  density: number;
}

export const defaultControls: Controls = { temperature: 1, topK: 0, topP: 1, density: 1 };

export type ControlName = keyof Controls;

const checks: Record<ControlName, { ok: (v: number) => boolean; rule: string }> = {
  temperature: { ok: (v) => v > 0 && v <= 10, rule: 'a number in (0, 10]' },
  topK: { ok: (v) => Number.isInteger(v) && v >= 0, rule: 'an integer >= 0 (0 = off)' },
  topP: { ok: (v) => v > 0 && v <= 1, rule: 'a number in (0, 1] (1 = off)' },
  density: { ok: (v) => v >= 0 && v <= 1, rule: 'a number in [0, 1]' },
};

/** Checks a partial update; throws BAD_OPTION naming the first bad control and its value. */
export function validateControls(update: Partial<Record<string, unknown>>): Partial<Controls> {
  const out: Partial<Controls> = {};
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const check = checks[key as ControlName];
    if (!check) {
      throw new BridgeError(
        'BAD_OPTION',
        `unknown control '${key}' (known: ${Object.keys(checks).join(', ')})`,
      );
    }
    if (typeof value !== 'number' || Number.isNaN(value) || !check.ok(value)) {
      throw new BridgeError('BAD_OPTION', `control ${key} must be ${check.rule}, got ${String(value)}`);
    }
    out[key as ControlName] = value;
  }
  return out;
}

/** Which MIDI CC number (on any channel) drives which control; `pause` toggles at values >= 64. */
export type CcMap = Partial<Record<ControlName | 'pause', number>>;

/**
 * Maps a 7-bit CC value to a control's range. Ranges follow common knobs (Magenta Studio's temperature
 * slider is 0-2): temperature 0.1..2, top-k 0 (off) or 1..127, top-p 0.05..1, density 0..1.
 */
export function controlFromCc(name: ControlName, value: number): number {
  const x = Math.min(127, Math.max(0, value)) / 127;
  switch (name) {
    case 'temperature':
      return Math.round((0.1 + x * 1.9) * 1000) / 1000;
    case 'topK':
      return Math.round(value);
    case 'topP':
      return Math.round((0.05 + x * 0.95) * 1000) / 1000;
    case 'density':
      return x;
  }
}

/** Checks a CC map: numbers 0..127, no CC used twice. */
export function validateCcMap(map: CcMap): CcMap {
  const seen = new Map<number, string>();
  for (const [name, cc] of Object.entries(map)) {
    if (cc === undefined) continue;
    if (!(name in checks) && name !== 'pause') {
      throw new BridgeError('BAD_OPTION', `unknown CC mapping target '${name}'`);
    }
    if (!Number.isInteger(cc) || cc < 0 || cc > 127) {
      throw new BridgeError('BAD_OPTION', `CC number for ${name} must be an integer 0..127, got ${cc}`);
    }
    const other = seen.get(cc);
    if (other) throw new BridgeError('BAD_OPTION', `CC ${cc} is mapped to both ${other} and ${name}`);
    seen.set(cc, name);
  }
  return map;
}
