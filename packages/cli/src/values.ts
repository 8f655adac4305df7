import { InvalidArgumentError } from 'commander';

/**
 * Typed argument parsers for commander. Each returns a function that turns the raw string into a
 * number or throws InvalidArgumentError; commander then prints "option '...' argument 'x' is
 * invalid. <our reason>" and we exit with the usage status.
 */
export interface Range {
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive lower bound (for values such as a temperature that must stay above 0). */
  above?: number;
}

function describe(range: Range): string {
  const parts: string[] = [];
  if (range.above !== undefined) parts.push(`> ${range.above}`);
  if (range.min !== undefined) parts.push(`>= ${range.min}`);
  if (range.max !== undefined) parts.push(`<= ${range.max}`);
  return parts.join(' and ');
}

function checkRange(value: number, range: Range, kind: string): number {
  const ok =
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max) &&
    (range.above === undefined || value > range.above);
  if (!ok) throw new InvalidArgumentError(`Expected ${kind} ${describe(range)}.`);
  return value;
}

export function parseIntArg(range: Range = {}): (raw: string) => number {
  return (raw) => {
    if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidArgumentError('Expected an integer.');
    return checkRange(Number.parseInt(raw, 10), range, 'an integer');
  };
}

export function parseFloatArg(range: Range = {}): (raw: string) => number {
  return (raw) => {
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError('Expected a number.');
    return checkRange(value, range, 'a number');
  };
}

/** For variadic options (`-t -2 -1 0`): commander passes the previous array as the second argument. */
export function collect<T>(parse: (raw: string) => T): (raw: string, previous: T[] | undefined) => T[] {
  return (raw, previous) => [...(previous ?? []), parse(raw)];
}
