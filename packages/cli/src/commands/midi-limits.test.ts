import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSmf, off, on } from '@music-transformer/test-midi';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-utils/capture-io.js';
import { SATIE } from '../test-utils/fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'mt-cli-limits-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 0.3 KB: 40 delta times of 0x0FFFFFFF ticks at one tick per beat, i.e. centuries of silence. */
function giantDeltas(): Uint8Array {
  const events = [on(0, 60, 80), off(1, 60)];
  for (let i = 1; i <= 40; i++) events.push(on(i * 0x0fffffff, 62, 80), off(i * 0x0fffffff + 1, 62));
  return buildSmf([events], { ppq: 1 });
}

/** Three hours of silence between two notes: over the 2-hour default, fine with a raised limit. */
function threeHours(): Uint8Array {
  const hour = 480 * 2 * 3600;
  return buildSmf([[on(0, 60, 80), off(480, 60), on(3 * hour, 62, 80), off(3 * hour + 480, 62)]], {
    ppq: 480,
  });
}

async function run(args: string[]) {
  const { io, out, err } = captureIo();
  const code = await main(args, io);
  return { code, out: out(), err: err() };
}

describe('MIDI limits in the CLI', () => {
  it('mt tokenize refuses a piece over the seconds limit in one line naming the file and the flag', async () => {
    const giant = join(root, 'giant.mid');
    writeFileSync(giant, giantDeltas());
    const r = await run(['tokenize', giant]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(
      /^error: giant\.mid: the music lasts .* above the limit of 7,200 s \(maxSeconds\); raise it with --max-piece-seconds\n$/,
    );
    const long = join(root, 'three-hours.mid');
    writeFileSync(long, threeHours());
    expect((await run(['tokenize', long])).code).toBe(1);
    const raised = await run(['tokenize', long, '--max-piece-seconds', '20000', '--as', 'ids']);
    expect(raised.code).toBe(0);
    expect(raised.out.trim().split(/\s+/).length).toBeGreaterThan(10800);
    const fewTokens = await run([
      'tokenize',
      long,
      '--max-piece-seconds',
      '20000',
      '--max-piece-tokens',
      '100',
    ]);
    expect(fewTokens.code).toBe(1);
    expect(fewTokens.err).toMatch(
      /above the limit of 100 \(maxTokens\); raise it with --max-piece-tokens\n$/,
    );
  });

  it('mt preprocess skips hostile files by name with the reason and goes on', async () => {
    const src = join(root, 'src');
    mkdirSync(src, { recursive: true });
    copyFileSync(SATIE, join(src, 'satie.mid'));
    writeFileSync(join(src, 'giant.mid'), giantDeltas());
    writeFileSync(join(src, 'cut.mid'), threeHours().subarray(0, 30));
    const r = await run(['preprocess', src, join(root, 'ds'), '256', '-t', '0', '-s', '1', '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/read 3 MIDI files: 1 used, 2 skipped/);
    expect(r.out).toMatch(/ {2}skipped giant\.mid: the music lasts .*\(maxSeconds\)\n/);
    expect(r.out).toMatch(/ {2}skipped cut\.mid: truncated/);
    expect(r.out).toMatch(/ {2}1 file over the maxSeconds limit: raise it with --max-piece-seconds\n/);
  });

  it('mt generate -i refuses a hostile primer with the reason, writing nothing', async () => {
    const giant = join(root, 'primer.mid');
    writeFileSync(giant, giantDeltas());
    const target = join(root, 'out.mid');
    const r = await run(['generate', target, '-i', giant, '--max-tokens', '16']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^error: primer\.mid: the music lasts .* above the limit of 7,200 s \(maxSeconds\)/,
    );
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
