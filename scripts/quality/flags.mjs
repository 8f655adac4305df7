// @ts-check
/** Command-line parsing shared by the quality scripts: bad arguments end as one BAD_ARGS error. */
import { parseArgs } from 'node:util';
import { QualityError } from './errors.mjs';

/**
 * `parseArgs(config)`, its error (unknown option, missing value...) re-thrown as BAD_ARGS followed by
 * the script's usage.
 * @template {import('node:util').ParseArgsConfig} T
 * @param {T} config
 * @param {string} usage
 * @returns {ReturnType<typeof parseArgs<T>>}
 */
export function parseFlags(config, usage) {
  try {
    return parseArgs(config);
  } catch (cause) {
    throw new QualityError('BAD_ARGS', `${cause instanceof Error ? cause.message : cause}\n${usage}`, {
      cause,
    });
  }
}

/**
 * The number given to `--name`, or undefined when the flag is absent; BAD_ARGS quoting the flag and the
 * value when `ok` refuses it.
 * @param {string} name
 * @param {string | undefined} value
 * @param {(x: number) => boolean} ok
 * @param {string} what what `ok` accepts, e.g. 'a number > 0'
 * @returns {number | undefined}
 */
export function numberFlag(name, value, ok, what) {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!ok(x)) throw new QualityError('BAD_ARGS', `--${name} must be ${what}, got '${value}'`);
  return x;
}

/**
 * An integer flag of at least `min`, or undefined when absent.
 * @param {string} name
 * @param {string | undefined} value
 * @param {number} min
 */
export function intFlag(name, value, min) {
  return numberFlag(name, value, (x) => Number.isInteger(x) && x >= min, `an integer >= ${min}`);
}
