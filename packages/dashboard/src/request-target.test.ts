import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from './request-target.js';

describe('parseRequestTarget', () => {
  it('parses origin-form and absolute-form targets', () => {
    expect(parseRequestTarget('/files/a/b.mid?download=1')?.pathname).toBe('/files/a/b.mid');
    expect(parseRequestTarget('http://127.0.0.1:6006/ws?token=x')?.searchParams.get('token')).toBe('x');
    expect(parseRequestTarget(undefined)?.pathname).toBe('/');
  });

  it.each(['http://[::1', 'http://127.0.0.1:99999/', 'http://%/', 'http://', 'https://[fe80::1%eth0]/'])(
    'returns null for %s instead of throwing',
    (target) => {
      expect(parseRequestTarget(target)).toBeNull();
    },
  );
});
