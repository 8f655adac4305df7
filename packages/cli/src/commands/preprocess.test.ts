import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDataset } from '@music-transformer/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { bandMidi } from '../test-utils/band-midi.js';
import { captureIo } from '../test-utils/capture-io.js';

const SATIE = new URL('../../../../test/fixtures/midi/satie-gymnopedie-no1.mid', import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'mt-cli-pre-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `mt preprocess` in process on a band file + a piano piece; one augmentation keeps it fast. */
async function preprocess(name: string, extra: string[]) {
  const src = join(root, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'band.mid'), bandMidi());
  copyFileSync(SATIE, join(src, 'satie.mid'));
  const { io, out, err } = captureIo();
  const args = ['preprocess', src, join(root, name), '256', '-t', '0', '-s', '1', '--workers', '1'];
  const code = await main([...args, ...extra, '--json'], io);
  expect(err()).not.toMatch(/error/i);
  expect(code).toBe(0);
  const json = JSON.parse(out()) as { path: string; include_drums: boolean };
  const ds = readDataset(json.path);
  const bandTokens = ds.meta.files.find((f) => f.path === 'band.mid')?.tokens ?? 0;
  return {
    json,
    meta: ds.meta,
    bandTokens,
    rows: Buffer.concat(
      [ds.train, ds.validation].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    ),
  };
}

describe('mt preprocess --drums / --sustain', () => {
  it('keeps channel-10 notes only with --drums and records it, and passes --sustain to the dataset', async () => {
    const plain = await preprocess('plain', []);
    const drums = await preprocess('drums', ['--drums', '--sustain', 'ignore']);
    expect(plain.json.include_drums).toBe(false);
    expect(plain.meta.include_drums).toBe(false);
    expect(plain.meta.vocab.sustain).toBe('extend');
    expect(drums.json.include_drums).toBe(true);
    expect(drums.meta.include_drums).toBe(true);
    expect(drums.meta.vocab.sustain).toBe('ignore');
    expect(drums.bandTokens).toBeGreaterThan(plain.bandTokens);
    // The band file's piano holds the pedal: ignoring it moves note-offs, so the rows change (the Satie
    // piece has no pedal; seed and split are the same, so only the sustain mode can make them differ).
    const pedalOff = await preprocess('pedal-off', ['--sustain', 'ignore']);
    expect(pedalOff.meta.include_drums).toBe(false);
    expect(pedalOff.rows.equals(plain.rows)).toBe(false);
    const again = await preprocess('plain-again', []);
    expect(again.rows.equals(plain.rows)).toBe(true);
  });
});
