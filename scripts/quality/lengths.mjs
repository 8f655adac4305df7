// @ts-check
/** Length and ending figures of a batch of generated files, from `mt generate --json`'s output. */
import { QualityError } from './errors.mjs';
import { round4 } from './histogram.mjs';

/**
 * @typedef {object} GeneratedFile one entry of `mt generate --json`'s `files`
 * @property {string} path
 * @property {string} stop_reason 'end' when the model ended the piece itself
 * @property {number} closed_notes notes still sounding at a limit, closed by the generator
 * @property {number} music_seconds
 */

/**
 * Share of pieces that ended on their own (sampled <end>, before any limit), notes force-closed per
 * piece, and seconds got against `askedSeconds` (null: no time limit asked; then only got is given).
 * @param {unknown} report `mt generate --json` output
 * @param {number | null} askedSeconds
 * @param {string} name the file, for errors
 */
export function lengthSummary(report, askedSeconds, name) {
  const files = /** @type {{ files?: unknown }} */ (report)?.files;
  if (!Array.isArray(files) || files.length === 0) {
    throw new QualityError('BAD_INPUT', `${name}: not an 'mt generate --json' report (no files)`);
  }
  /** @type {GeneratedFile[]} */
  const list = files.map((f, i) => {
    const ok =
      typeof f?.stop_reason === 'string' &&
      Number.isFinite(f?.closed_notes) &&
      Number.isFinite(f?.music_seconds);
    if (!ok)
      throw new QualityError(
        'BAD_INPUT',
        `${name}: files[${i}] lacks stop_reason, closed_notes or music_seconds`,
      );
    return f;
  });
  const got = list.map((f) => f.music_seconds);
  const n = list.length;
  const mean = got.reduce((a, b) => a + b, 0) / n;
  return {
    samples: n,
    askedSeconds,
    gotSeconds: { mean: round4(mean), min: round4(Math.min(...got)), max: round4(Math.max(...got)) },
    withinOneSecond:
      askedSeconds === null ? null : list.filter((f) => Math.abs(f.music_seconds - askedSeconds) <= 1).length,
    endedOnItsOwn: list.filter((f) => f.stop_reason === 'end').length,
    endedOnItsOwnShare: round4(list.filter((f) => f.stop_reason === 'end').length / n),
    forceClosedPerSample: round4(list.reduce((a, f) => a + f.closed_notes, 0) / n),
    stopReasons: Object.fromEntries(
      [...new Set(list.map((f) => f.stop_reason))]
        .sort()
        .map((r) => [r, list.filter((f) => f.stop_reason === r).length]),
    ),
  };
}
