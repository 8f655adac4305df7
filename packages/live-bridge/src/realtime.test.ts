import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const BENCH = fileURLToPath(new URL('../bench/scheduling.mjs', import.meta.url));

describe('real-time scheduling (real clock, model in a worker thread)', () => {
  // How late the sends are is a benchmark figure (`node bench/scheduling.mjs`, docs/benchmarks.md): a
  // bound on it here would fail whenever the machine is busy. What must hold on any machine is asserted:
  // every scheduled note goes out, none before its time, and the generator keeps ahead of the music.
  it('sends every note of 20 s of music at 120 BPM, none early, with no underrun', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [BENCH], {
      env: { ...process.env, BENCH_SECONDS: '20' },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    console.log(`[realtime] ${JSON.stringify(result)}`);
    expect(result.events).toBeGreaterThan(10);
    // The stop's silencing note-offs come after the scheduled ones.
    expect(result.sent).toBeGreaterThanOrEqual(result.events);
    expect(result.min_ms).toBeGreaterThanOrEqual(0);
    expect(result.underruns).toBe(0);
  }, 60_000);
});
