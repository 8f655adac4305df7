import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../test-utils/capture-io.js';
import { expectCliError, expectOverwriteNeedsForce } from '../test-utils/cli-errors.js';
import { SATIE } from '../test-utils/fixtures.js';
import { tempDir } from '../test-utils/temp-dir.js';
import { type DetokenizeFlags, runDetokenize } from './run-detokenize.js';
import { runTokenize } from './run-tokenize.js';

const root = tempDir('mt-cli-run-detokenize-');

/** What `mt tokenize --as ids` prints for a MIDI file. */
async function idsOf(file: string): Promise<string> {
  const run = captureIo();
  await runTokenize(file, { as: 'ids' }, run);
  return run.out();
}

/** `runDetokenize` with commander's defaults plus `extra`, its --json result parsed. */
async function detokenize(source: string, out: string, extra: Partial<DetokenizeFlags> = {}) {
  const run = captureIo();
  await runDetokenize(source, out, { tempo: 120, json: true, ...extra }, run);
  return JSON.parse(run.out()) as { out: string; tokens: number };
}

const sorted = (ids: string): number[] =>
  ids
    .trim()
    .split(' ')
    .map(Number)
    .sort((a, b) => a - b);

describe('runDetokenize', () => {
  it('writes a MIDI file that tokenizes back to the same tokens', async () => {
    const ids = await idsOf(SATIE);
    const source = join(root, 'satie.tokens');
    writeFileSync(source, ids);
    const out = join(root, 'satie.mid');
    expect(await detokenize(source, out)).toMatchObject({ out, tokens: sorted(ids).length });
    // The same events; within one time step a note-off may come out in another order.
    expect(sorted(await idsOf(out))).toEqual(sorted(ids));
  });

  it('refuses to overwrite a file unless --force', async () => {
    const source = join(root, 'two.tokens');
    writeFileSync(source, 'note_on_60 time_shift_100 note_off_60');
    const out = join(root, 'taken.mid');
    await expectOverwriteNeedsForce(out, 'output file', (force) => detokenize(source, out, { force }));
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('MThd');
  });

  it('names a missing token file and the first bad token, and writes nothing', async () => {
    const out = join(root, 'never.mid');
    const missing = join(root, 'missing.tokens');
    await expectCliError(detokenize(missing, out), 'NOT_FOUND', `token file not found: ${missing}`);
    const bad = join(root, 'bad.tokens');
    writeFileSync(bad, 'note_on_60 bogus note_off_60');
    const badToken = `${bad}: token 2 'bogus' is not a token of vocab 'seed'`;
    await expectCliError(detokenize(bad, out), 'BAD_INPUT', badToken);
    expect(existsSync(out)).toBe(false);
  });
});
