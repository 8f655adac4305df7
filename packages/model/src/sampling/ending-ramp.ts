import { ModelError } from '../errors.js';
import type { LogitsProcessor } from './types.js';

/**
 * How a piece is steered towards its end as a length limit nears. Inside the ending zone (the last `zone`
 * of the limit, at most `maxZoneSeconds` of a time limit) the ramp position r runs from 0 to 1 and
 * additive logit biases grow with q = r^2: `<end>` gains `endBias * q`, every note-on loses
 * `noteOnPenalty * q` and every note-off gains `noteOffBoost * q`.
 */
export interface EndingRampConfig {
  /** Fraction of the limit, at its end, where the ramp acts: 0 < zone <= 1. */
  zone: number;
  /** Longest zone of a time limit, seconds (> 0): a long piece winds down like a short one. */
  maxZoneSeconds: number;
  /** Logit added to `<end>` at the limit (nats): its odds grow by e^endBias over the zone. */
  endBias: number;
  /** Logit taken from every note-on at the limit: fewer new notes, so the music can fall silent. */
  noteOnPenalty: number;
  /** Logit added to every note-off at the limit: sounding notes end sooner. */
  noteOffBoost: number;
}

/**
 * Defaults chosen on the bundled model with seeds that the quality figures do not use (see the model
 * package README, "Endings"): the last 15 % of the limit but at most 2.5 s (a longer zone made more
 * pieces end by themselves but more than 1 s before a time limit), and e^10 times the odds of `<end>`
 * at the limit. The note biases are strong because the bundled model leaves many notes sounding (often
 * 30 or more at a time): they all have to end before `<end>` is allowed.
 */
export const DEFAULT_ENDING_RAMP: Readonly<EndingRampConfig> = Object.freeze({
  zone: 0.15,
  maxZoneSeconds: 2.5,
  endBias: 10,
  noteOnPenalty: 10,
  noteOffBoost: 12,
});

/** Checks a partial ramp config and fills it from the defaults. */
export function parseEndingRamp(partial: Partial<EndingRampConfig> = {}): EndingRampConfig {
  const out = { ...DEFAULT_ENDING_RAMP, ...partial };
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_ENDING_RAMP)) {
      throw new ModelError(
        'BAD_INPUT',
        `unknown endingRamp option '${key}' (known: ${Object.keys(DEFAULT_ENDING_RAMP).join(', ')})`,
      );
    }
  }
  if (!(out.zone > 0 && out.zone <= 1)) {
    throw new ModelError('BAD_INPUT', `endingRamp.zone must be in (0, 1], got ${out.zone}`);
  }
  if (!(Number.isFinite(out.maxZoneSeconds) && out.maxZoneSeconds > 0)) {
    throw new ModelError('BAD_INPUT', `endingRamp.maxZoneSeconds must be > 0, got ${out.maxZoneSeconds}`);
  }
  for (const key of ['endBias', 'noteOnPenalty', 'noteOffBoost'] as const) {
    if (!(Number.isFinite(out[key]) && out[key] >= 0)) {
      throw new ModelError('BAD_INPUT', `endingRamp.${key} must be a finite number >= 0, got ${out[key]}`);
    }
  }
  return out;
}

/** Ramp position in [0, 1]: where `value` lies between the zone's `start` and the limit `end`. */
export function rampPosition(value: number, start: number, end: number): number {
  if (!(end > start)) return value >= end ? 1 : 0;
  const r = (value - start) / (end - start);
  return r <= 0 ? 0 : r >= 1 ? 1 : r;
}

/**
 * The ending ramp as a logits processor. An additive logit bias multiplies the odds by its exponential,
 * the idea of an exponential-decay length penalty on the end-of-sequence token in text generation (odds
 * growing geometrically past a start index), here driven by the ramp position r towards a token or time
 * limit; the bias grows as r^2, so it stays gentle early in the zone and takes hold near the limit.
 * `position()` reads the session's counters (O(1)); masked ids (-Infinity) stay masked, so the grammar still decides when
 * `<end>` is possible at all (only once nothing sounds), which is why note-ons and note-offs are steered
 * too.
 */
export const endingRamp =
  (
    ids: {
      end: number;
      noteOn: { readonly first: number; readonly count: number };
      noteOff: { readonly first: number; readonly count: number };
    },
    position: () => number,
    config: EndingRampConfig,
  ): LogitsProcessor =>
  (logits) => {
    const r = position();
    const q = r * r;
    if (q === 0) return logits;
    const out = logits.slice();
    out[ids.end] = out[ids.end]! + config.endBias * q;
    const on = config.noteOnPenalty * q;
    for (let i = 0; i < ids.noteOn.count; i++) out[ids.noteOn.first + i] = out[ids.noteOn.first + i]! - on;
    const off = config.noteOffBoost * q;
    for (let i = 0; i < ids.noteOff.count; i++)
      out[ids.noteOff.first + i] = out[ids.noteOff.first + i]! + off;
    return out;
  };
