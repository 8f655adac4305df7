import { describe, expect, it } from 'vitest';
import { Output, type Stream } from './output.js';
import { formatDuration, startProgress } from './progress.js';

function capture(isTTY = false): { stream: Stream; text: () => string } {
  let text = '';
  return {
    stream: {
      isTTY,
      write: (s: string) => {
        text += s;
      },
    },
    text: () => text,
  };
}

describe('startProgress (non-interactive)', () => {
  it('prints one line per interval with rate and ETA, and a final line', () => {
    const out = capture();
    const err = capture();
    let clock = 0;
    const output = new Output(
      { stdout: out.stream, stderr: err.stream },
      { json: false, quiet: false, verbose: false },
    );
    const progress = startProgress(output, {
      label: 'train',
      total: 100,
      unit: 'steps',
      intervalMs: 1000,
      now: () => clock,
    });
    clock = 500;
    progress.update(5);
    expect(err.text()).toBe('');
    clock = 2000;
    progress.update(20, 'loss 3.10');
    expect(err.text()).toBe('train: 20/100 steps (20%) | 10.00 steps/s | ETA 8s | loss 3.10\n');
    progress.stop();
    expect(err.text().split('\n').filter(Boolean)).toHaveLength(2);
    expect(out.text()).toBe('');
  });

  it('is silent under --quiet and --json', () => {
    for (const flags of [
      { quiet: true, json: false },
      { quiet: false, json: true },
    ]) {
      const err = capture();
      const output = new Output(
        { stdout: capture().stream, stderr: err.stream },
        { ...flags, verbose: false },
      );
      const progress = startProgress(output, { label: 'x', total: 1, unit: 'u', intervalMs: 0 });
      progress.update(1);
      progress.stop();
      expect(err.text()).toBe('');
    }
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(125)).toBe('2m05s');
    expect(formatDuration(7260)).toBe('2h01m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});
