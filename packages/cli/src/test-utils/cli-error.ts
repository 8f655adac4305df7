import { expect } from 'vitest';
import { CliError } from '../errors.js';

/** The `CliError` a command rejects with; the test fails if it resolves or rejects with anything else. */
export async function cliErrorOf(work: Promise<unknown>): Promise<CliError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}
