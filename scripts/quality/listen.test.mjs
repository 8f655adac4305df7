// @ts-check
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import tonejs from '@tonejs/midi';
import pngjs from 'pngjs';
import { QualityError } from './errors.mjs';
import { lengthSummary } from './lengths.mjs';
import { drawPianoRoll, rollNotes } from './piano-roll.mjs';
import { midiOutside, PIANO, parseRange, tokensOutside } from './pitch-range.mjs';
import { renderAudio } from './render-audio.mjs';
import { seedLikeVocab as v } from './test-vocab.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SATIE = resolve(here, '../../test/fixtures/midi/satie-gymnopedie-no1.mid');
const { Midi } = tonejs;

/** A MIDI file written by @tonejs/midi with one note below the piano, one on it and one above. */
function threeNotes() {
  const midi = new Midi();
  const track = midi.addTrack();
  for (const [i, pitch] of [15, 60, 115].entries())
    track.addNote({ midi: pitch, time: i * 0.5, duration: 0.4, velocity: 0.8 });
  return new Uint8Array(midi.toArray());
}

describe('pitch range', () => {
  it('counts notes outside it in token streams and MIDI files', () => {
    const tokens = [
      v.start,
      v.noteOn(20),
      v.noteOn(21),
      v.noteOn(108),
      v.noteOn(109),
      v.timeShift(3),
      v.end,
      v.noteOn(5),
    ];
    assert.equal(tokensOutside(tokens, v, PIANO), 2); // nothing after <end> counts
    assert.equal(tokensOutside(tokens, v, { low: 0, high: 127 }), 0);
    assert.equal(midiOutside(threeNotes(), PIANO), 2);
    assert.equal(midiOutside(threeNotes(), parseRange('10-120')), 0);
    assert.throws(
      () => parseRange('90-30'),
      (e) => e instanceof QualityError && e.code === 'BAD_ARGS' && /'90-30'/.test(e.message),
    );
  });
});

describe('length summary', () => {
  it('counts pieces ended on their own, notes force-closed and lengths within 1 s of those asked', () => {
    const report = {
      files: [
        { path: 'a', stop_reason: 'end', closed_notes: 0, music_seconds: 29.4 },
        { path: 'b', stop_reason: 'maxSeconds', closed_notes: 6, music_seconds: 30 },
        { path: 'c', stop_reason: 'maxTokens', closed_notes: 30, music_seconds: 12.5 },
      ],
    };
    const s = lengthSummary(report, 30, 'r.json');
    assert.deepEqual(
      [
        s.samples,
        s.endedOnItsOwn,
        s.withinOneSecond,
        s.forceClosedPerSample,
        s.gotSeconds.min,
        s.gotSeconds.max,
      ],
      [3, 1, 2, 12, 12.5, 30],
    );
    assert.deepEqual(s.stopReasons, { end: 1, maxSeconds: 1, maxTokens: 1 });
    assert.throws(
      () => lengthSummary({ files: [] }, 30, 'r.json'),
      /r\.json: not an 'mt generate --json' report/,
    );
    assert.throws(
      () => lengthSummary({ files: [{ path: 'x' }] }, null, 'r.json'),
      /files\[0\] lacks stop_reason/,
    );
  });
});

describe('piano roll', () => {
  it('draws every note of a real MIDI file where it belongs, and notes off the piano in red', async () => {
    const bytes = new Uint8Array(await readFile(SATIE));
    const notes = rollNotes(bytes);
    assert.ok(notes.length > 100);
    const roll = drawPianoRoll(notes, { pxPerSecond: 20, pxPerPitch: 3 });
    const img = pngjs.PNG.sync.read(roll.png); // decoded by pngjs's reader: a valid PNG
    assert.deepEqual([img.width, img.height], [roll.width, roll.height]);
    assert.equal(roll.height, 88 * 3); // the piece stays on the piano
    const pixel = (/** @type {number} */ x, /** @type {number} */ y) => [
      ...img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3),
    ];
    const n = notes.find((x) => x.end - x.start > 0.5) ?? notes[0];
    const y = (roll.high - n.pitch) * 3 + 1;
    const inside = pixel(Math.floor(n.start * 20) + 3, y);
    assert.ok(inside[2] > inside[0] + 40, `note pixel ${inside} is blue`);

    const three = drawPianoRoll(rollNotes(threeNotes()), { pxPerSecond: 20, pxPerPitch: 2 });
    assert.deepEqual([three.low, three.high], [15, 115]);
    const timg = pngjs.PNG.sync.read(three.png);
    const at = (/** @type {number} */ x, /** @type {number} */ pitch) => {
      const i = ((three.high - pitch) * 2 * timg.width + x) * 4;
      return [timg.data[i], timg.data[i + 1], timg.data[i + 2]];
    };
    assert.deepEqual(at(3, 15), [200, 30, 30]); // below the piano: red
    assert.deepEqual(
      at(13, 60)
        .slice(0, 1)
        .map((r) => r < 100),
      [true],
    ); // on the piano: blue
    assert.deepEqual(at(23, 115), [200, 30, 30]);
    assert.deepEqual(at(3, 16), [255, 224, 224]); // the rows off the piano are tinted
  });
});

describe('audio', () => {
  /** @type {string} */
  let dir;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'listen-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders a real MIDI file to Ogg Vorbis with fluidsynth, and listen.mjs writes the set', async () => {
    const out = join(dir, 'satie.ogg');
    renderAudio(SATIE, out);
    const head = await readFile(out);
    assert.equal(head.subarray(0, 4).toString('latin1'), 'OggS');
    assert.ok(head.subarray(0, 64).includes(Buffer.from('vorbis')), 'a Vorbis stream');
    assert.ok(head.length > 10_000);
    const bad = join(dir, 'bad.mid');
    await writeFile(bad, 'not midi');
    const r = spawnSync(
      process.execPath,
      [join(here, 'listen.mjs'), SATIE, bad, '--out', join(dir, 'set'), '--no-audio'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 1, r.stderr); // one file skipped
    assert.match(r.stderr, /listen: skipped .*bad\.mid/);
    const line = JSON.parse(r.stdout.trim());
    assert.equal(line.outsidePiano, 0);
    assert.ok((await readFile(join(dir, 'set', 'satie-gymnopedie-no1.png'))).length > 1000);
    assert.throws(
      () => renderAudio(SATIE, join(dir, 'x.ogg'), { soundfont: join(dir, 'none.sf2') }),
      (e) => e instanceof QualityError && e.code === 'NO_SYNTH',
    );
  });
});
