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

describe('startProgress (terminal)', () => {
  it('writes messages above the bar: the bar line is cleared first and redrawn after', () => {
    const out = capture(true);
    const err = capture(true);
    const output = new Output(
      { stdout: out.stream, stderr: err.stream },
      { json: false, quiet: false, verbose: false },
    );
    const progress = startProgress(output, { label: 'train', total: 10, unit: 'steps' });
    progress.update(3, 'loss 3.10');
    const before = err.text().length;
    output.note('validation at step 3: loss 2.5');
    output.warn('slow step');
    const written = err.text().slice(before);
    // Each message starts on a cleared line and ends with a newline; the bar comes back after it.
    expect(written.startsWith('\r\x1b[2Kvalidation at step 3: loss 2.5\n')).toBe(true);
    expect(written).toContain('\r\x1b[2Kwarning: slow step\n');
    expect(written.slice(written.lastIndexOf('\n') + 1)).toContain('train [');
    progress.stop();
    // After the bar is gone, messages are plain lines again.
    const after = err.text().length;
    output.note('done');
    expect(err.text().slice(after)).toBe('done\n');
  });
});

describe('Output.status', () => {
  it('is kept with --json (stderr) and dropped by --quiet', () => {
    for (const [flags, expected] of [
      [{ json: true, quiet: false }, 'interrupting\n'],
      [{ json: false, quiet: true }, ''],
    ] as const) {
      const err = capture();
      new Output({ stdout: capture().stream, stderr: err.stream }, { ...flags, verbose: false }).status(
        'interrupting',
      );
      expect(err.text()).toBe(expected);
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
