// @ts-check
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { encodeSafetensors } from '@music-transformer/model';
import { createRng } from '@music-transformer/vocab';
import tonejs from '@tonejs/midi';
import { bootstrapIntervals } from './bootstrap.mjs';
import { parseCheckArgs } from './check-samples-args.mjs';
import { QualityError } from './errors.mjs';
import { intFlag, numberFlag, parseFlags } from './flags.mjs';
import { totalVariation } from './histogram.mjs';
import { loadReference } from './reference.mjs';
import { buildReport } from './report.mjs';
import { readU16Rows, tensorShape } from './safetensors.mjs';
import { folderStats } from './sample-stats.mjs';
import { seedLikeVocab as v } from './test-vocab.mjs';
import { analyseTokens, illFormedShare } from './token-analysis.mjs';
import { parseTokenFile } from './token-files.mjs';

/** A well-formed phrase: per pitch velocity, note-on, two 125-step shifts (2 x 1 s), note-off. */
const phrase = (/** @type {number[]} */ pitches) =>
  pitches.flatMap((p) => [v.velocity(20), v.noteOn(p), v.timeShift(125), v.timeShift(125), v.noteOff(p)]);

describe('analyseTokens', () => {
  it('finds no ill-formed event in a well-formed stream and measures time and pitch classes', () => {
    const s = analyseTokens([v.start, ...phrase([60, 64, 67]), v.end], v, 'ok');
    assert.equal(s.noteOn, 3);
    assert.equal(s.noteOff, 3);
    assert.equal(s.noteOffWithoutNoteOn + s.noteOnWhileSounding + s.openAtEnd, 0);
    assert.equal(s.seconds, 3 * 2 * 125 * 0.008);
    assert.deepEqual(s.pitchClassHistogram, [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
    assert.equal(illFormedShare(s).share, 0);
  });

  it('counts each kind of ill-formed event at a known place', () => {
    const tokens = [
      v.start,
      v.noteOff(50), // 1: note-off without a sounding note
      v.noteOn(60),
      v.noteOn(60), // 2: note-on of a sounding pitch
      v.timeShift(10),
      v.noteOff(60),
      v.noteOff(60), // 3: the pitch was already released
      v.noteOn(62), // 4: still open at the end
      v.noteOn(72), // 5: still open at the end
      v.timeShift(5),
    ];
    const s = analyseTokens(tokens, v, 'bad');
    assert.equal(s.noteOffWithoutNoteOn, 2);
    assert.equal(s.noteOnWhileSounding, 1);
    assert.equal(s.openAtEnd, 2);
    const share = illFormedShare(s);
    assert.equal(share.total, 5);
    assert.equal(share.noteEvents, 4 + 3);
    assert.equal(share.share, 5 / 7);
    assert.equal(share.shareWithoutOpenAtEnd, 3 / 7);
    assert.equal(s.seconds, 15 * 0.008);
  });

  it('stops at <end> and ignores pads', () => {
    const s = analyseTokens([v.pad, v.noteOn(60), v.end, v.noteOff(61), v.noteOff(62)], v, 'end');
    assert.equal(s.tokens, 3);
    assert.equal(s.afterEnd, 2);
    assert.equal(s.noteOffWithoutNoteOn, 0);
    assert.equal(s.openAtEnd, 1);
  });

  it('refuses an id outside the vocab, naming the file and position', () => {
    assert.throws(
      () => analyseTokens([1, 2, 999], v, 'gen/x.json'),
      (e) =>
        e instanceof QualityError && e.code === 'BAD_INPUT' && /gen\/x\.json: token 2 is 999/.test(e.message),
    );
  });
});

describe('token files', () => {
  it('reads the same ids from .json, {tokens}, .txt and .u16', () => {
    const ids = [414, 382, 61, 300, 189, 415];
    const u16 = new Uint8Array(new Uint16Array(ids).buffer);
    const enc = (/** @type {string} */ s) => new TextEncoder().encode(s);
    assert.deepEqual(Array.from(parseTokenFile(enc(JSON.stringify(ids)), 'a.json')), ids);
    assert.deepEqual(Array.from(parseTokenFile(enc(JSON.stringify({ tokens: ids })), 'b.json')), ids);
    assert.deepEqual(Array.from(parseTokenFile(enc(ids.join(', ')), 'c.txt')), ids);
    assert.deepEqual(Array.from(parseTokenFile(u16, 'd.u16')), ids);
  });

  it('names the file and the bad value', () => {
    const enc = (/** @type {string} */ s) => new TextEncoder().encode(s);
    assert.throws(() => parseTokenFile(enc('[1, -3]'), 'x.json'), /x\.json: token 1 is -3/);
    assert.throws(() => parseTokenFile(enc('1 two'), 'y.txt'), /y\.txt: token 1 is "two"/);
    assert.throws(() => parseTokenFile(new Uint8Array(3), 'z.u16'), /z\.u16: 3 bytes/);
    assert.throws(() => parseTokenFile(enc('[]'), 'w.csv'), /unknown token file type '\.csv'/);
  });
});

describe('histogram comparison', () => {
  it('total variation is 0 for proportional histograms, 1 for disjoint ones', () => {
    assert.equal(totalVariation([1, 2, 0], [2, 4, 0]), 0);
    assert.equal(totalVariation([1, 0], [0, 3]), 1);
    assert.equal(totalVariation([1, 1], [1, 0]), 0.5);
    assert.equal(totalVariation([0, 0], [1, 0]), null);
  });
});

describe('bootstrap intervals', () => {
  const pc = (/** @type {number} */ i, /** @type {number} */ n) =>
    Array.from({ length: 12 }, (_, k) => (k === i ? n : 0));
  const draw = (/** @type {number} */ seed) => {
    const rng = createRng(seed);
    return (/** @type {number} */ n) => rng.nextInt(n);
  };

  it('collapses to the batch figure when every file is alike', () => {
    const files = Array.from({ length: 10 }, () => ({
      notes: 30,
      seconds: 3,
      pitchClassHistogram: pc(0, 30),
    }));
    const r = bootstrapIntervals(files, pc(0, 5), { resamples: 200, nextInt: draw(1) });
    assert.deepEqual(r.notesPerSecond, [10, 10]);
    assert.deepEqual(r.pitchClassTvd, [0, 0]);
    assert.equal(r.level, 0.95);
  });

  it('spans the spread of unlike files, reproducibly, and narrows with more of them', () => {
    // Half the files sparse in C, half dense in F#: one batch figure, very different resamples.
    const mixed = (/** @type {number} */ n) =>
      Array.from({ length: n }, (_, i) =>
        i % 2 === 0
          ? { notes: 10, seconds: 5, pitchClassHistogram: pc(0, 10) }
          : { notes: 100, seconds: 5, pitchClassHistogram: pc(6, 100) },
      );
    const small = bootstrapIntervals(mixed(20), pc(0, 1), { resamples: 500, nextInt: draw(2) });
    const [lo, hi] = /** @type {[number, number]} */ (small.notesPerSecond);
    assert.ok(lo < 11 && hi > 11, `batch rate 11 inside [${lo}, ${hi}]`);
    assert.ok(hi - lo > 3);
    assert.deepEqual(small, bootstrapIntervals(mixed(20), pc(0, 1), { resamples: 500, nextInt: draw(2) }));
    const large = bootstrapIntervals(mixed(400), pc(0, 1), { resamples: 500, nextInt: draw(2) });
    const [llo, lhi] = /** @type {[number, number]} */ (large.notesPerSecond);
    assert.ok(lhi - llo < (hi - lo) / 2, `[${llo}, ${lhi}] narrower than [${lo}, ${hi}]`);
    const [dlo, dhi] = /** @type {[number, number]} */ (small.pitchClassTvd);
    assert.ok(dlo < 10 / 11 && dhi > 10 / 11 && dhi <= 1);
    assert.equal(bootstrapIntervals(mixed(4), null, { resamples: 5, nextInt: draw(1) }).pitchClassTvd, null);
  });

  it('refuses a bad resample count or level', () => {
    const files = [{ notes: 1, seconds: 1, pitchClassHistogram: pc(0, 1) }];
    assert.throws(() => bootstrapIntervals(files, null, { resamples: 0, nextInt: draw(1) }), /resamples/);
    assert.throws(
      () => bootstrapIntervals(files, null, { resamples: 5, level: 1, nextInt: draw(1) }),
      /level/,
    );
  });
});

/** A dataset file with one U16 `validation` tensor, as the trainer writes them. */
function u16Safetensors(/** @type {number[][]} */ rows, /** @type {object} */ dataset = { vocab_size: 416 }) {
  const validation = { dtype: /** @type {const} */ ('U16'), shape: [rows.length, rows[0].length] };
  return encodeSafetensors(
    { validation: { ...validation, data: new Uint16Array(rows.flat()) } },
    { dataset: JSON.stringify(dataset) },
  );
}

describe('check-samples end to end (files on disk)', () => {
  it('reports ill-formedness, notes per second and the comparison with a dataset and a manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quality-test-'));
    try {
      const samples = join(dir, 'samples');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(samples);
      // a.json well-formed (3 notes, 6 s); b.txt with one stray note-off and one open note (2 notes, 3 s).
      await writeFile(join(samples, 'a.json'), JSON.stringify([v.start, ...phrase([60, 64, 67]), v.end]));
      await writeFile(
        join(samples, 'b.txt'),
        [v.noteOff(40), ...phrase([62]), v.noteOn(65), v.timeShift(125)].join(' '),
      );
      // A MIDI sample: 2 pitched notes in 1 s plus a drum note that must not count.
      const midi = new tonejs.Midi();
      const piano = midi.addTrack();
      piano.addNote({ midi: 60, time: 0, duration: 0.5 });
      piano.addNote({ midi: 67, time: 0.5, duration: 0.5 });
      const drums = midi.addTrack();
      drums.channel = 9;
      drums.addNote({ midi: 36, time: 0, duration: 0.1 });
      await writeFile(join(samples, 'c.mid'), midi.toArray());

      const stats = await folderStats(samples, v, null);
      assert.deepEqual(
        stats.map((s) => [s.file.slice(samples.length + 1), s.kind, s.notes]),
        [
          ['a.json', 'tokens', 3],
          ['b.txt', 'tokens', 2],
          ['c.mid', 'midi', 2],
        ],
      );
      const dataset = join(dir, 'data.safetensors');
      // Row 2 is a window cut after a note-on: its note-off is a stray one, as random windows produce.
      const row1 = [v.start, ...phrase([60, 67]), v.end, v.pad];
      const row2 = [v.noteOff(50), ...new Array(row1.length - 1).fill(v.pad)];
      await writeFile(dataset, u16Safetensors([row1, row2]));
      const reference = await loadReference({
        path: dataset,
        split: 'validation',
        sources: null,
        vocab: v,
        encodeMidi: null,
      });
      assert.equal(reference.notes, 2);
      assert.equal(reference.seconds, 4);
      // 1 stray note-off among 2 note-ons + 3 note-offs.
      assert.equal(reference.illFormed?.noteOffWithoutNoteOn, 1);
      assert.equal(reference.illFormed?.share, 1 / 5);

      const report = buildReport({ folder: samples, samples: stats, reference, maxIllFormedShare: 0.01 });
      // Token streams: 5 note-ons + 5 note-offs, 1 stray note-off + 1 open note = 2 / 10.
      assert.equal(report.samples.illFormed?.total, 2);
      assert.equal(report.samples.illFormed?.share, 0.2);
      assert.equal(report.threshold.pass, false);
      // 7 notes over 6 + 3 + 1 = 10 s (c.mid lasts 1 s) vs the reference's 2 notes in 4 s.
      assert.equal(report.samples.notesPerSecond, 0.7);
      assert.equal(report.reference?.notesPerSecond, 0.5);
      assert.equal(report.comparison?.notesPerSecondRatio, 1.4);
      // Samples: C x2, D, E, F, G x2 (7); reference: C, G -> TVD = 1 - (2/7 + 2/7) = 3/7.
      assert.equal(report.comparison?.pitchClassTvd, Math.round((3 / 7) * 10000) / 10000);

      const manifestPath = join(dir, 'manifest.json');
      const file = (
        /** @type {string} */ source,
        /** @type {number[]} */ h,
        /** @type {number} */ drums,
      ) => ({
        path: `${source}/x.mid`,
        source,
        sha256: 'f'.repeat(64),
        licence: 'MIT',
        notes: h.reduce((a, b) => a + b, 0) + drums,
        drumNotes: drums,
        durationSeconds: 10,
        pitchClassHistogram: h,
      });
      const pc = (/** @type {number} */ i, /** @type {number} */ n) =>
        Array.from({ length: 12 }, (_, k) => (k === i ? n : 0));
      await writeFile(
        manifestPath,
        JSON.stringify({ schema: 1, files: [file('piano', pc(0, 30), 0), file('game', pc(7, 10), 50)] }),
      );
      const all = await loadReference({
        path: dir,
        split: 'validation',
        sources: null,
        vocab: v,
        encodeMidi: null,
      });
      assert.deepEqual(
        [all.kind, all.items, all.notes, all.seconds, all.illFormed],
        ['manifest', 2, 40, 20, null],
      );
      const pianoOnly = await loadReference({
        path: manifestPath,
        split: '',
        sources: ['piano'],
        vocab: v,
        encodeMidi: null,
      });
      assert.deepEqual([pianoOnly.items, pianoOnly.notes, pianoOnly.pitchClassHistogram[0]], [1, 30, 30]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a dataset written with another vocab size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quality-test-'));
    try {
      const path = join(dir, 'other.safetensors');
      await writeFile(path, u16Safetensors([[1, 2]], { vocab_size: 391 }));
      await assert.rejects(
        loadReference({ path, split: 'validation', sources: null, vocab: v, encodeMidi: null }),
        /other\.safetensors: dataset vocab_size is 391 but --vocab has 416 ids/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a dataset tensor of the wrong type, naming it', () => {
    const bytes = u16Safetensors([[1, 2]]);
    assert.throws(
      () => readU16Rows(bytes, 'train', 'd.safetensors'),
      /d\.safetensors: no tensor 'train' \(has: validation\)/,
    );
  });

  it("reads a tensor's shape from the header alone, and names the file it cannot use", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quality-test-'));
    try {
      const path = join(dir, 'd.safetensors');
      await writeFile(
        path,
        u16Safetensors([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      );
      assert.deepEqual(await tensorShape(path, 'validation'), [2, 3]);
      await assert.rejects(
        tensorShape(path, 'train'),
        /d\.safetensors: no tensor 'train' \(has: validation\)/,
      );
      const midi = join(dir, 'song.mid');
      await writeFile(midi, 'MThd and more bytes');
      await assert.rejects(
        tensorShape(midi, 'train'),
        (e) =>
          e instanceof QualityError &&
          e.code === 'BAD_INPUT' &&
          /song\.mid: header length \d+ does not fit a file of 19 bytes/.test(e.message),
      );
      await assert.rejects(
        tensorShape(join(dir, 'none.safetensors'), 'train'),
        (e) => e instanceof QualityError && /none\.safetensors: cannot open the dataset/.test(e.message),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('check-samples arguments', () => {
  it('parses defaults and rejects bad values with the option name', () => {
    const a = parseCheckArgs(['out/'], 'corpus/manifest.json');
    assert.equal(a.help, false);
    if (a.help) return;
    assert.deepEqual(
      [a.samples, a.reference, a.vocab, a.maxIllFormed, a.split, a.bootstrap, a.bootstrapSeed],
      ['out/', 'corpus/manifest.json', 'seed', 0.01, 'validation', 1000, 1],
    );
    assert.throws(
      () => parseCheckArgs(['out/', '--bootstrap', '2.5'], null),
      /--bootstrap must be an integer/,
    );
    assert.throws(() => parseCheckArgs(['out/', '--bootstrap-seed', 'x'], null), /--bootstrap-seed must be/);
    assert.throws(
      () => parseCheckArgs(['out/', '--max-ill-formed', 'lots'], null),
      /--max-ill-formed must be a number/,
    );
    assert.throws(
      () => parseCheckArgs([], null),
      (e) => e instanceof QualityError && e.code === 'BAD_ARGS',
    );
    assert.throws(
      () => parseCheckArgs(['a', '--nope'], null),
      (e) => e instanceof QualityError && e.code === 'BAD_ARGS',
    );
  });
});

describe('shared flag parsing', () => {
  const isBadArgs = (/** @type {RegExp} */ pattern) => (/** @type {unknown} */ e) =>
    e instanceof QualityError && e.code === 'BAD_ARGS' && pattern.test(e.message);

  it('turns a parseArgs error into BAD_ARGS followed by the usage', () => {
    const config = {
      args: ['--nope'],
      options: { n: { type: /** @type {const} */ ('string') } },
      strict: true,
    };
    assert.throws(() => parseFlags(config, 'Usage: x'), isBadArgs(/'--nope'[\s\S]*\nUsage: x$/));
    assert.equal(parseFlags({ ...config, args: ['--n', '3'] }, 'Usage: x').values.n, '3');
  });

  it('reads numbers, leaves absent flags undefined and quotes a refused value', () => {
    assert.equal(intFlag('count', '4', 1), 4);
    assert.equal(intFlag('count', undefined, 1), undefined);
    assert.throws(() => intFlag('count', '0', 1), isBadArgs(/^--count must be an integer >= 1, got '0'$/));
    assert.throws(() => intFlag('count', '2.5', 1), isBadArgs(/got '2\.5'/));
    assert.equal(
      numberFlag('top-p', '0.9', (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
      0.9,
    );
    assert.throws(
      () => numberFlag('top-p', 'high', (x) => x > 0 && x <= 1, 'a number in (0, 1]'),
      isBadArgs(/^--top-p must be a number in \(0, 1\], got 'high'$/),
    );
  });
});

describe('agreement with @music-transformer/vocab', () => {
  it('the test vocab has the same layout as the real seed preset', async (t) => {
    /** @type {any} */
    let lib;
    try {
      lib = await import('@music-transformer/vocab');
    } catch {
      t.skip('@music-transformer/vocab is not built');
      return;
    }
    const real = lib.createVocab(lib.presets.seed);
    assert.equal(real.size, v.size);
    assert.equal(real.stepMs, v.stepMs);
    for (let id = 0; id < v.size; id++) {
      assert.equal(real.kindOf(id), v.kindOf(id), `kind of id ${id}`);
      assert.equal(real.valueOf(id), v.valueOf(id), `value of id ${id}`);
    }
  });
});
