import { describe, expect, it } from 'vitest';
import type { CliError } from '../errors.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';
import { runInfo } from './run-info.js';

describe('runInfo', () => {
  it('describes a real MIDI file and names a missing one', async () => {
    const { io, out } = captureIo();
    await runInfo(SATIE, { json: true }, { io });
    expect(JSON.parse(out())).toMatchObject({ file: SATIE, kind: 'midi' });
    const error = await runInfo('/no/such/file.mid', { json: true }, captureIo()).catch((e: unknown) => e);
    expect((error as CliError).code).toBe('NOT_FOUND');
    expect((error as CliError).message).toContain('/no/such/file.mid');
  });
});
