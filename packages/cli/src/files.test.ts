import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import { prepareDestination, readMidi, requireFile } from './files.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'mt-cli-files-'));
}

describe('file checks', () => {
  it('names a missing input', async () => {
    await expect(requireFile('/nope/x.mid', 'MIDI file')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'MIDI file not found: /nope/x.mid',
    });
  });

  it('refuses a file that is not MIDI', async () => {
    const dir = await tempDir();
    const path = join(dir, 'notes.txt');
    await writeFile(path, 'hello');
    await expect(readMidi(path)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(readMidi(path)).rejects.toThrow(`not a MIDI file: ${path}`);
  });

  it('refuses to overwrite without force, and allows it with force', async () => {
    const dir = await tempDir();
    const path = join(dir, 'out.mid');
    await writeFile(path, 'x');
    const error = await prepareDestination(path, { force: false, what: 'output file' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('EXISTS');
    expect((error as CliError).message).toContain('--force');
    await expect(prepareDestination(path, { force: true, what: 'output file' })).resolves.toBe(path);
  });

  it('creates missing parent folders and reports an unwritable one', async () => {
    const dir = await tempDir();
    await expect(
      prepareDestination(join(dir, 'a', 'b', 'out.mid'), { force: false, what: 'x' }),
    ).resolves.toContain('out.mid');
    // A regular file where a folder should be fails for every user, root included.
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'x');
    await expect(
      prepareDestination(join(blocker, 'out.mid'), { force: false, what: 'output file' }),
    ).rejects.toMatchObject({
      code: 'UNWRITABLE',
      message: expect.stringContaining(`cannot write output file ${join(blocker, 'out.mid')}`),
    });
  });
});
