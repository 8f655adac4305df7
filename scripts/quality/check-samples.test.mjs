// @ts-check
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = resolve(here, '../../test/fixtures/midi');
const PIECES = ['satie-gymnopedie-no1.mid', 'peacherine-rag.mid', 'solace.mid'];

/** Runs check-samples.mjs; its report, or a failure naming stderr. */
function check(/** @type {string[]} */ args) {
  const r = spawnSync(process.execPath, [join(here, 'check-samples.mjs'), ...args], { encoding: 'utf8' });
  assert.notEqual(r.status, 2, r.stderr);
  return JSON.parse(r.stdout);
}

describe('check-samples.mjs on real MIDI files', () => {
  /** @type {string} */
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'check-samples-'));
    await mkdir(join(dir, 'batch'));
    await mkdir(join(dir, 'reference'));
    for (const p of PIECES) await copyFile(join(FIXTURES, p), join(dir, 'batch', p));
    await copyFile(join(FIXTURES, PIECES[0]), join(dir, 'reference', PIECES[0]));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints bootstrap intervals around the batch figures, reproducibly, and none with --bootstrap 0', () => {
    const reference = ['--reference', join(dir, 'reference')];
    const args = [join(dir, 'batch'), ...reference, '--bootstrap', '300'];
    const report = check(args);
    const { notesPerSecond, pitchClassTvd } = report.bootstrap;
    assert.equal(report.bootstrap.resamples, 300);
    // A slow Satie waltz and two rags: resamples of three such files differ, so the interval has width.
    assert.ok(
      notesPerSecond[0] < report.samples.notesPerSecond && report.samples.notesPerSecond < notesPerSecond[1],
    );
    assert.ok(
      pitchClassTvd[0] <= report.comparison.pitchClassTvd &&
        report.comparison.pitchClassTvd <= pitchClassTvd[1],
    );
    assert.ok(pitchClassTvd[1] > pitchClassTvd[0]);
    assert.deepEqual(check(args).bootstrap, report.bootstrap);
    assert.notDeepEqual(check([...args, '--bootstrap-seed', '2']).bootstrap, report.bootstrap);
    assert.equal(check([join(dir, 'batch'), ...reference, '--bootstrap', '0']).bootstrap, null);
  });
});
