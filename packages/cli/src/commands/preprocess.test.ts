import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pianoAndDrumsMidi } from '@music-transformer/test-midi';
import { readDataset } from '@music-transformer/trainer';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-pre-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `mt preprocess` in process on a band file + a piano piece; one augmentation keeps it fast. */
async function preprocess(name: string, extra: string[]) {
  const src = join(root, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'band.mid'), pianoAndDrumsMidi({ sustain: true }));
  copyFileSync(SATIE, join(src, 'satie.mid'));
  const { io, out, err } = captureIo();
  const args = ['preprocess', src, join(root, name), '256', '-t', '0', '-s', '1', '--workers', '1'];
  const code = await main([...args, ...extra, '--json'], io);
  expect(err()).not.toMatch(/error/i);
  expect(code).toBe(0);
  const json = JSON.parse(out()) as {
    path: string;
    include_drums: boolean;
    windows: unknown;
    window_length: number;
    train_rows: number;
    validation_rows: number;
  };
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

/** `mt info <file>` in process: the human lines and the --json document. */
async function info(path: string) {
  const human = captureIo();
  expect(await main(['info', path], human.io)).toBe(0);
  const json = captureIo();
  expect(await main(['info', path, '--json'], json.io)).toBe(0);
  return { lines: human.out(), json: JSON.parse(json.out()) as { windows: Record<string, unknown> } };
}

describe('mt preprocess --windows', () => {
  it("cuts every piece into consecutive windows with 'all', n random + end windows with n, and says so", async () => {
    const original = await preprocess('win-1', []);
    expect(original.json.windows).toEqual({ kind: 'random', count: 1 });
    expect(original.meta.windows.scheme).toBeUndefined(); // the bytes of datasets written before --windows
    const rowsOf = (r: typeof original, file: string) => r.meta.files.find((f) => f.path === file)!.rows;
    expect(rowsOf(original, 'satie.mid')).toBe(2);
    const explicit = await preprocess('win-1-explicit', ['--windows', '1']);
    expect(explicit.rows.equals(original.rows)).toBe(true);
    expect((await info(original.json.path)).lines).toContain(
      "windows: --windows 1, the original's: 1 random window of 217 +- 36 tokens + the end window per piece",
    );

    const all = await preprocess('win-all', ['--windows', 'all']);
    expect(all.json.windows).toEqual({ kind: 'tile' });
    expect(all.json.window_length).toBe(254);
    expect(all.meta.windows.scheme).toEqual({ kind: 'tile' });
    for (const f of all.meta.files) expect(f.rows).toBeGreaterThanOrEqual(Math.ceil(f.tokens / 254));
    expect(rowsOf(all, 'satie.mid')).toBeGreaterThan(rowsOf(original, 'satie.mid'));
    const shown = await info(all.json.path);
    expect(shown.lines).toContain(
      'windows: --windows all: consecutive windows of 254 tokens covering every piece',
    );
    expect(shown.json.windows).toMatchObject({ window_length: 254, scheme: { kind: 'tile' } });
    const reseeded = await preprocess('win-all-2', ['--windows', 'all', '--seed', '2']);
    expect(reseeded.rows.equals(all.rows)).toBe(false);

    const four = await preprocess('win-4', ['--windows', '4']);
    expect(four.meta.windows.scheme).toEqual({ kind: 'random', count: 4 });
    expect(rowsOf(four, 'satie.mid')).toBe(5);
    expect((await info(four.json.path)).lines).toContain('windows: --windows 4: 4 random windows of 217');
  });

  it('refuses a window count that is not a positive integer or all, naming the value, exit 2', async () => {
    for (const bad of ['0', '-1', '1.5', '1e3', 'two', 'every', '', '1001']) {
      const { io, err } = captureIo();
      const code = await main(['preprocess', root, join(root, 'never'), '256', '--windows', bad], io);
      expect(code, bad).toBe(2);
      expect(err().trimEnd().split('\n'), bad).toHaveLength(1);
      expect(err(), bad).toContain(
        `option '--windows <n|all>' argument '${bad}' is invalid. Expected an integer from 1 to 1000, or 'all'.`,
      );
    }
  });
});
