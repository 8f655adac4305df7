import { VocabError } from './errors.js';
import type { Note, StepNote } from './notes.js';
import type { Vocab } from './vocab.js';

/** What the encoder had to change to make notes expressible; all counts, none silent. */
export interface EncodeStats {
  /** Notes shorter than half a step, lengthened to one step so they are not lost. */
  zeroLengthExtended: number;
  /** Same pitch struck again while sounding: the earlier note ends at the new onset. */
  overlapsTruncated: number;
  /** Same pitch starting on the same step twice (e.g. doubled tracks): kept once, longest and loudest. */
  duplicatesMerged: number;
}

/** Seconds -> whole steps, rounding half up (the grid point nearest the real time). */
export function toStep(seconds: number, stepMs: number): number {
  return Math.floor((seconds * 1000) / stepMs + 0.5);
}

/** Notes in seconds -> notes on the step grid (onset/offset within half a step of the real times). */
export function quantizeNotes(notes: readonly Note[], vocab: Vocab): StepNote[] {
  const out: StepNote[] = new Array(notes.length);
  for (let i = 0; i < notes.length; i++) {
    const n = notes[i]!;
    out[i] = {
      pitch: n.pitch,
      velocity: n.velocity,
      startStep: toStep(n.start, vocab.stepMs),
      endStep: toStep(n.end, vocab.stepMs),
    };
  }
  return out;
}

/**
 * Step notes -> token ids (no start/end). Deterministic for any input order: events are ordered by time,
 * then note-offs before note-ons, then pitch. A velocity token is written only when the bin changes
 * (the decoder carries velocity forward). Every pitch must be inside the vocab's range.
 * Throws `VocabError` (`BAD_ARGUMENT`) when the tokens would number more than `maxTokens` (default 2^28):
 * they are counted before any is written, so a piece claiming days of silence costs no memory.
 */
export function encodeStepNotes(
  notes: readonly StepNote[],
  vocab: Vocab,
  options: { maxTokens?: number } = {},
): { tokens: Uint16Array; stats: EncodeStats } {
  const maxTokens = options.maxTokens ?? 2 ** 28;
  const r = encodeWithin(notes, vocab, maxTokens);
  if ('tooMany' in r)
    throw new VocabError(
      'BAD_ARGUMENT',
      `notes encode to ${r.tooMany} tokens, above the limit of ${maxTokens}`,
    );
  return r;
}

/** `encodeStepNotes` telling "too long" apart from other failures: `tooMany` is the token count. */
export function encodeWithin(
  notes: readonly StepNote[],
  vocab: Vocab,
  maxTokens: number,
): { tokens: Uint16Array; stats: EncodeStats } | { tooMany: number } {
  const { minPitch, maxPitch } = vocab.config;
  const stats: EncodeStats = { zeroLengthExtended: 0, overlapsTruncated: 0, duplicatesMerged: 0 };
  const work: StepNote[] = notes.map((n) => {
    if (!Number.isInteger(n.pitch) || n.pitch < minPitch || n.pitch > maxPitch) {
      throw new VocabError(
        'BAD_ARGUMENT',
        `note pitch ${n.pitch} is outside the vocab range ${minPitch}..${maxPitch}`,
      );
    }
    if (!Number.isSafeInteger(n.startStep) || n.startStep < 0 || !Number.isSafeInteger(n.endStep)) {
      throw new VocabError(
        'BAD_ARGUMENT',
        `note steps must be integers >= 0, got ${n.startStep}..${n.endStep}`,
      );
    }
    let endStep = n.endStep;
    if (endStep <= n.startStep) {
      endStep = n.startStep + 1;
      stats.zeroLengthExtended++;
    }
    return { pitch: n.pitch, velocity: n.velocity, startStep: n.startStep, endStep };
  });
  work.sort(
    (a, b) =>
      a.startStep - b.startStep || a.pitch - b.pitch || a.endStep - b.endStep || a.velocity - b.velocity,
  );

  const lastOfPitch: (StepNote | undefined)[] = new Array(128);
  const kept: StepNote[] = [];
  for (const n of work) {
    const prev = lastOfPitch[n.pitch];
    if (prev && prev.endStep > n.startStep) {
      if (prev.startStep === n.startStep) {
        prev.endStep = Math.max(prev.endStep, n.endStep);
        prev.velocity = Math.max(prev.velocity, n.velocity);
        stats.duplicatesMerged++;
        continue;
      }
      prev.endStep = n.startStep;
      stats.overlapsTruncated++;
    }
    lastOfPitch[n.pitch] = n;
    kept.push(n);
  }

  // One float key per event so a plain numeric sort orders them: (step, off < on, pitch, velocity bin).
  // Exact while step * 2^15 stays below 2^53, i.e. for any step count a token array could hold.
  const keys = new Float64Array(kept.length * 2);
  for (let i = 0; i < kept.length; i++) {
    const n = kept[i]!;
    const bin = vocab.binOfVelocity(n.velocity);
    keys[2 * i] = ((n.startStep * 2 + 1) * 128 + n.pitch) * 128 + bin;
    keys[2 * i + 1] = (n.endStep * 2 * 128 + n.pitch) * 128;
  }
  keys.sort();
  const length = emitTokens(keys, vocab, null);
  if (length > maxTokens) return { tooMany: length };
  const out = new Uint16Array(length);
  emitTokens(keys, vocab, out);
  return { tokens: out, stats };
}

/** Writes the tokens of sorted event keys into `out`, or only counts them when `out` is null. */
function emitTokens(keys: Float64Array, vocab: Vocab, out: Uint16Array | null): number {
  const { minPitch, maxShiftSteps } = vocab.config;
  const onFirst = vocab.ranges.note_on.first - minPitch;
  const offFirst = vocab.ranges.note_off.first - minPitch;
  const shiftFirst = vocab.ranges.time_shift.first - 1;
  const velFirst = vocab.ranges.velocity.first;
  let len = 0;
  let now = 0;
  let bin = -1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const b = k % 128;
    const rest = (k - b) / 128;
    const pitch = rest % 128;
    const stepOn = (rest - pitch) / 128;
    const isOn = stepOn % 2;
    const step = (stepOn - isOn) / 2;
    let gap = step - now;
    if (out === null) {
      len += Math.ceil(gap / maxShiftSteps);
    } else {
      while (gap > 0) {
        const s = gap > maxShiftSteps ? maxShiftSteps : gap;
        out[len++] = shiftFirst + s;
        gap -= s;
      }
    }
    now = step;
    if (isOn === 1) {
      if (b !== bin) {
        if (out !== null) out[len] = velFirst + b;
        len++;
        bin = b;
      }
      if (out !== null) out[len] = onFirst + pitch;
      len++;
    } else {
      if (out !== null) out[len] = offFirst + pitch;
      len++;
    }
  }
  return len;
}

/** Notes in seconds -> token ids (no start/end); see `encodeStepNotes`. */
export function notesToTokens(
  notes: readonly Note[],
  vocab: Vocab,
): { tokens: Uint16Array; stats: EncodeStats } {
  return encodeStepNotes(quantizeNotes(notes, vocab), vocab);
}
