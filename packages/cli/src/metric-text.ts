/**
 * A logged figure for a one-line message. Run logs hold `null` where the value was NaN or infinite
 * (JSON has no NaN), so a diverged run prints `non-finite` instead of crashing the printer.
 */
export function metricText(value: number | null, digits: number): string {
  return value === null || !Number.isFinite(value) ? 'non-finite' : value.toFixed(digits);
}
