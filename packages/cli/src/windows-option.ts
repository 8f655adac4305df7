import type { WindowScheme } from '@music-transformer/vocab';
import { InvalidArgumentError } from 'commander';

/** Upper bound of `--windows <n>`: each window is a row per augmentation, so a typo could fill memory. */
export const MAX_RANDOM_WINDOWS = 1000;

/**
 * `mt preprocess --windows <n|all>`: `n` random windows + the end window per piece (1, the default, is
 * the original's scheme), or `all`: consecutive windows covering every token (the vocab's tile scheme).
 */
export function parseWindowsArg(raw: string): WindowScheme {
  const value = raw.trim().toLowerCase();
  if (value === 'all') return { kind: 'tile' };
  const count = /^\+?\d+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
  if (!(count >= 1 && count <= MAX_RANDOM_WINDOWS)) {
    throw new InvalidArgumentError(`Expected an integer from 1 to ${MAX_RANDOM_WINDOWS}, or 'all'.`);
  }
  return { kind: 'random', count };
}

/** What `--windows` value gives `scheme`. */
export function windowsFlagValue(scheme: WindowScheme): string {
  return scheme.kind === 'tile' ? 'all' : String(scheme.count);
}

/** One line for people: how a dataset's pieces were cut (`windowLength`: its `windows.window_length`). */
export function describeWindows(scheme: WindowScheme, windowLength: number): string {
  const flag = `--windows ${windowsFlagValue(scheme)}`;
  if (scheme.kind === 'tile') {
    return `${flag}: consecutive windows of ${windowLength} tokens covering every piece`;
  }
  const random = `${scheme.count} random window${scheme.count === 1 ? '' : 's'}`;
  const original = scheme.count === 1 ? ", the original's" : '';
  return `${flag}${original}: ${random} of ${windowLength} +- ${Math.floor(windowLength / 6)} tokens + the end window per piece`;
}
