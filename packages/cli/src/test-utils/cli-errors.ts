import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { CliError, type CliErrorCode } from '../errors.js';

/** Checks that a command rejects with exactly this `CliError` (and not with anything else). */
export async function expectCliError(
  work: Promise<unknown>,
  code: CliErrorCode,
  message: string,
): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  expect(error).toMatchObject({ code, message });
}

/**
 * The `--force` contract of a command that writes the file `out` (`what` names it in messages): an
 * existing file is refused with EXISTS and kept as it was; `write(true)` replaces it.
 */
export async function expectOverwriteNeedsForce(
  out: string,
  what: string,
  write: (force: boolean) => Promise<unknown>,
): Promise<void> {
  writeFileSync(out, 'keep me');
  await expectCliError(
    write(false),
    'EXISTS',
    `${what} already exists: ${out} (pass --force to overwrite it)`,
  );
  expect(readFileSync(out, 'utf8')).toBe('keep me');
  await write(true);
  expect(readFileSync(out, 'utf8')).not.toBe('keep me');
}
