import { describe, expect, it } from 'vitest';
import { CliError } from './errors.js';
import type { Stream } from './output.js';
import { describeError, reportError } from './report-error.js';

class TrainerError extends Error {
  override readonly name = 'TrainerError';
  readonly code = 'BAD_DATASET';
}

describe('describeError', () => {
  it('maps usage errors to 2 and other failures to 1', () => {
    expect(describeError(new CliError('USAGE', 'bad'))).toEqual({ exitCode: 2, code: 'USAGE', line: 'bad' });
    expect(describeError(new CliError('NOT_FOUND', 'missing'))).toEqual({
      exitCode: 1,
      code: 'NOT_FOUND',
      line: 'missing',
    });
    expect(describeError(new TrainerError('dataset x.safetensors: no rows\nmore'))).toEqual({
      exitCode: 1,
      code: 'BAD_DATASET',
      line: 'dataset x.safetensors: no rows',
    });
    expect(describeError(new Error('plain')).code).toBe('FAILED');
  });

  it('keeps the path of a Node error', () => {
    const error = Object.assign(new Error('permission denied'), { code: 'EACCES', path: '/root/x' });
    expect(describeError(error).line).toBe('EACCES: permission denied (/root/x)');
  });
});

describe('reportError', () => {
  it('prints one line, and the stack with causes only when verbose', () => {
    let text = '';
    const stream: Stream = {
      write: (s: string) => {
        text += s;
      },
    };
    const error = new CliError('FAILED', 'top', { cause: new Error('inner') });
    expect(reportError({ stdout: stream, stderr: stream }, error, { json: false, verbose: false })).toBe(1);
    expect(text).toBe('error: top\n');
    text = '';
    reportError({ stdout: stream, stderr: stream }, error, { json: false, verbose: true });
    expect(text).toContain('caused by: Error: inner');
    expect(text.split('\n').length).toBeGreaterThan(3);
  });
});
