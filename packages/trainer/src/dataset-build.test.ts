import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pianoAndDrumsMidi } from '@music-transformer/test-midi';
import { createVocab, ORIGINAL_WINDOWS } from '@music-transformer/vocab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildProgress, buildDataset } from './dataset-build.js';
import { readDataset } from './dataset-file.js';
import { datasetWindowScheme } from './dataset-meta.js';
import { removeTempDirs, tempDir } from './test-utils/temp.js';

const FIXTURES = new URL('../test/fixtures/midi/', import.meta.url).pathname;
const PIECES = [
  'classical/fur-elise.mid',
  'classical/satie-gymnopedie-no1.mid',
  'ragtime/solace.mid',
  'ragtime/bethena.mid',
];

/** A source folder with 4 real pieces (one nested deeper), a corrupt file, an empty file and a non-MIDI file. */
function makeSource(): string {
  const dir = tempDir('mt-src-');
  mkdirSync(join(dir, 'a', 'deep'), { recursive: true });
  copyFileSync(join(FIXTURES, PIECES[0]!), join(dir, 'a', 'fur-elise.mid'));
  copyFileSync(join(FIXTURES, PIECES[1]!), join(dir, 'a', 'deep', 'gymnopedie.MIDI'));
  copyFileSync(join(FIXTURES, PIECES[2]!), join(dir, 'solace.mid'));
  copyFileSync(join(FIXTURES, PIECES[3]!), join(dir, 'bethena.midi'));
  writeFileSync(join(dir, 'broken.mid'), Buffer.from('MThd this is not really midi'));
  writeFileSync(join(dir, 'empty.mid'), new Uint8Array(0));
  writeFileSync(join(dir, 'notes.txt'), 'not a midi file');
  return dir;
}

afterAll(removeTempDirs);

describe('buildDataset', () => {
  let src: string;
  let out: string;
  beforeAll(() => {
    src = makeSource();
    out = tempDir('mt-ds-');
  });

  it('skips pieces over the MIDI limits by name with the limit, and refuses bad limits', async () => {
    const r = await buildDataset(src, {
      output: join(out, 'limits.safetensors'),
      length: 128,
      seed: 3,
      workers: 1,
      midiLimits: { maxSeconds: 200 },
    });
    const long = r.skipped.filter((s) => s.reason.includes('(maxSeconds)'));
    expect(long.map((s) => s.path).sort()).toEqual(['bethena.midi', 'solace.mid']);
    for (const s of long)
      expect(s.reason).toMatch(
        new RegExp(`^${s.path.replace('.', '\\.')}: the music lasts .* above the limit of 200 s`),
      );
    await expect(
      buildDataset(src, { output: join(out, 'x.safetensors'), length: 128, midiLimits: { maxTokens: 0 } }),
    ).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
      message: expect.stringMatching(/maxTokens must be a positive number/),
    });
  });

  it('writes train/validation U16 rows split by source file, with bad files skipped and reasons', async () => {
    const progress: BuildProgress[] = [];
    const r = await buildDataset(src, {
      output: join(out, 'a.safetensors'),
      length: 128,
      seed: 3,
      workers: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(progress).toHaveLength(6);
    expect(progress.at(-1)!.done).toBe(6);
    expect(r.skipped.map((s) => s.path).sort()).toEqual(['broken.mid', 'empty.mid']);
    for (const s of r.skipped) expect(s.reason).toMatch(new RegExp(s.path.replace('.', '\\.')));
    const ds = readDataset(r.path);
    expect(ds.fingerprint).toBe(r.fingerprint);
    expect(ds.meta.files.map((f) => f.path)).toEqual([
      'a/deep/gymnopedie.MIDI',
      'a/fur-elise.mid',
      'bethena.midi',
      'solace.mid',
    ]);
    expect(ds.meta.counts.validation_files).toBe(1);
    for (const f of ds.meta.files) {
      const bytes = readFileSync(join(src, f.path));
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(f.rows).toBe(50); // 2 windows x 5 transpositions x 5 stretches
    }
    const valRows = ds.meta.files.filter((f) => f.split === 'validation').reduce((n, f) => n + f.rows, 0);
    expect(ds.validationRows).toBe(valRows);
    expect(ds.trainRows).toBe(200 - valRows);
    expect(ds.meta.augmentation.applied).toHaveLength(25);
    // Every row: <start> at 0 when the window begins the piece... and always ids in range, pad-padded.
    const vocab = createVocab();
    let ends = 0;
    for (let i = 0; i < ds.trainRows; i++) {
      const row = ds.train.subarray(i * 128, (i + 1) * 128);
      expect(row[0]).toBe(vocab.start);
      if (row.includes(vocab.end)) ends++;
      const firstPad = row.indexOf(vocab.pad);
      if (firstPad >= 0) expect(row.subarray(firstPad).every((t) => t === vocab.pad)).toBe(true);
    }
    expect(ends).toBeGreaterThan(0);
    expect(ends).toBeLessThan(ds.trainRows);
  });

  it('is byte-identical for the same seed whatever the worker count, and differs for another seed', async () => {
    const one = await buildDataset(src, {
      output: join(out, 'w1.safetensors'),
      length: 96,
      seed: 9,
      workers: 1,
    });
    const two = await buildDataset(src, {
      output: join(out, 'w2.safetensors'),
      length: 96,
      seed: 9,
      workers: 2,
    });
    expect(Buffer.compare(readFileSync(one.path), readFileSync(two.path))).toBe(0);
    // The original window scheme, passed explicitly, writes the same bytes as the default, whose
    // metadata keeps the object written before the scheme option existed (no `scheme` key).
    const explicit = await buildDataset(src, {
      output: join(out, 'w-orig.safetensors'),
      length: 96,
      seed: 9,
      workers: 2,
      windows: ORIGINAL_WINDOWS,
    });
    expect(Buffer.compare(readFileSync(explicit.path), readFileSync(one.path))).toBe(0);
    expect(readDataset(one.path).meta.windows).toStrictEqual({
      method: 'vocab buildRows: 2 windows per piece (random + end)',
      window_length: 80,
    });
    const other = await buildDataset(src, {
      output: join(out, 's.safetensors'),
      length: 96,
      seed: 10,
      workers: 2,
    });
    expect(other.fingerprint).not.toBe(one.fingerprint);
  });

  it('cuts pieces by the windows option, into the rows and the metadata', async () => {
    const common = { length: 128, seed: 5, workers: 2, transpositions: [0], stretches: [1] };
    const tile = await buildDataset(src, {
      ...common,
      output: join(out, 'tile.safetensors'),
      windows: { kind: 'tile' },
    });
    const ds = readDataset(tile.path);
    expect(ds.meta.windows).toEqual({
      method: 'vocab buildRows: consecutive windows covering each piece',
      window_length: 126,
      scheme: { kind: 'tile' },
    });
    expect(datasetWindowScheme(ds.meta)).toEqual({ kind: 'tile' });
    const vocab = createVocab();
    let body = 0;
    let ends = 0;
    for (const rows of [ds.train, ds.validation]) {
      for (const id of rows) {
        if (id === vocab.end) ends++;
        else if (id !== vocab.start && id !== vocab.pad) body++;
      }
    }
    // One row per window of 126 tokens (first and last may be shorter, never under 21), one <end> per piece.
    for (const f of ds.meta.files) {
      expect(f.rows).toBeGreaterThanOrEqual(Math.ceil(f.tokens / 126));
      expect(f.rows).toBeLessThanOrEqual(Math.ceil(f.tokens / 126) + 1);
      expect(f.truncated_rows).toBe(0);
    }
    expect(ends).toBe(4);
    // Every token is in a row, less the note-offs of notes struck in the window before (dropStrayNoteOffs).
    const pieceTokens = ds.meta.files.reduce((n, f) => n + f.tokens, 0);
    expect(body).toBeLessThanOrEqual(pieceTokens);
    expect(body).toBeGreaterThan(pieceTokens * 0.97);

    const three = await buildDataset(src, {
      ...common,
      output: join(out, 'three.safetensors'),
      windows: { kind: 'random', count: 3 },
    });
    const meta3 = readDataset(three.path).meta;
    expect(meta3.windows).toEqual({
      method: 'vocab buildRows: 4 windows per piece (3 random + end)',
      window_length: 108,
      scheme: { kind: 'random', count: 3 },
    });
    for (const f of meta3.files) expect(f.rows).toBe(4);
    const original = await buildDataset(src, { ...common, output: join(out, 'orig.safetensors') });
    expect(datasetWindowScheme(readDataset(original.path).meta)).toEqual(ORIGINAL_WINDOWS);
    for (const f of original.meta.files) expect(f.rows).toBe(2);

    for (const windows of [{ kind: 'random', count: 0 }, { kind: 'random', count: 1.5 }, { kind: 'all' }]) {
      await expect(
        buildDataset(src, { ...common, output: join(out, 'x'), windows: windows as never }),
      ).rejects.toMatchObject({ code: 'BAD_OPTIONS', message: expect.stringMatching(/windows must be/) });
    }
  });

  it('keeps drums only with includeDrums, and records the choice in the metadata', async () => {
    const band = tempDir('mt-band-');
    writeFileSync(join(band, 'band.mid'), pianoAndDrumsMidi());
    copyFileSync(join(FIXTURES, PIECES[0]!), join(band, 'fur-elise.mid'));
    const common = { length: 256, seed: 2, workers: 1, transpositions: [0], stretches: [1] };
    const plain = await buildDataset(band, { ...common, output: join(out, 'plain.safetensors') });
    const drums = await buildDataset(band, {
      ...common,
      output: join(out, 'drums.safetensors'),
      includeDrums: true,
    });
    expect(readDataset(plain.path).meta.include_drums).toBe(false);
    expect(readDataset(drums.path).meta.include_drums).toBe(true);
    const tokensOf = (r: typeof plain, path: string) => r.meta.files.find((f) => f.path === path)!.tokens;
    expect(tokensOf(drums, 'band.mid')).toBeGreaterThan(tokensOf(plain, 'band.mid'));
    // A piano piece has no channel 10: the option changes nothing for it.
    expect(tokensOf(drums, 'fur-elise.mid')).toBe(tokensOf(plain, 'fur-elise.mid'));
    await expect(
      buildDataset(band, { ...common, output: join(out, 'x'), includeDrums: 'yes' as unknown as boolean }),
    ).rejects.toMatchObject({ code: 'BAD_OPTIONS', message: expect.stringMatching(/includeDrums/) });
  });

  it('refuses a missing folder, a folder without MIDI and bad options with typed errors', async () => {
    await expect(
      buildDataset(join(src, 'nope'), { output: join(out, 'x'), length: 64 }),
    ).rejects.toMatchObject({
      code: 'BAD_SOURCE',
    });
    const empty = tempDir('mt-empty-');
    writeFileSync(join(empty, 'x.txt'), 'x');
    await expect(buildDataset(empty, { output: join(out, 'x'), length: 64 })).rejects.toMatchObject({
      code: 'BAD_SOURCE',
    });
    await expect(buildDataset(src, { output: join(out, 'x'), length: 2 })).rejects.toMatchObject({
      code: 'BAD_OPTIONS',
    });
    const onlyBad = tempDir('mt-bad-');
    writeFileSync(join(onlyBad, 'b.mid'), 'garbage');
    await expect(buildDataset(onlyBad, { output: join(out, 'x'), length: 64 })).rejects.toMatchObject({
      code: 'EMPTY_DATASET',
      message: expect.stringMatching(/b\.mid/),
    });
  });
});
