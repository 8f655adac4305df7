import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, generateFlags, settingsFromQuery, settingsToQuery } from './settings.js';

describe('playground settings in the query string', () => {
  it('round-trips every setting', () => {
    const settings = {
      seed: 42,
      temperature: 0.9,
      topK: 40,
      topP: 0.95,
      seconds: null,
      maxTokens: 512,
      minSeconds: 0,
      pitchRange: [40, 80] as [number, number],
      continuationOnly: true,
    };
    const query = settingsToQuery(settings);
    expect(query).toBe('seed=42&t=0.9&k=40&p=0.95&tokens=512&min=0&s=none&range=40-80&co=1');
    expect(settingsFromQuery(`?${query}`)).toEqual({ settings, problems: [] });
  });

  it('writes only the seed for default settings, and an empty query gives the defaults', () => {
    expect(settingsToQuery(DEFAULT_SETTINGS)).toBe('seed=1');
    expect(settingsFromQuery('')).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('ignores invalid values, naming each, and keeps the valid ones', () => {
    const { settings, problems } = settingsFromQuery(
      '?seed=1.5&t=0&k=3&p=2&s=-1&range=90-20&co=yes&tokens=10',
    );
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, topK: 3, maxTokens: 10 });
    expect(problems).toEqual([
      'seed=1.5: expected an integer >= 0 and <= 2147483647',
      't=0: expected a number > 0 and <= 100',
      'p=2: expected a number > 0 and <= 1',
      's=-1: expected a number of seconds > 0 and <= 3600, or none',
      'range=90-20: expected LOW-HIGH MIDI pitches, 0 <= LOW <= HIGH <= 127',
      'co=yes: expected 1 or 0',
    ]);
  });

  it('gives the mt generate flags of a piece', () => {
    expect(generateFlags({ ...DEFAULT_SETTINGS, seed: 7, seconds: null, maxTokens: 256 })).toEqual([
      '--seed',
      '7',
      '-t',
      '1',
      '-k',
      '0',
      '-p',
      '1',
      '--max-tokens',
      '256',
      '--min-seconds',
      '10',
    ]);
    expect(generateFlags({ ...DEFAULT_SETTINGS, seed: 2 })).toContain('--max-seconds');
  });
});
