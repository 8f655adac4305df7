import { describe, expect, it } from 'vitest';
import { rewriteForCommand, rewriteLegacyFlags } from './legacy-flags.js';

const TRAIN = { '-bs': '--batch-size', '-dr': '--dropout' };

describe('rewriteLegacyFlags', () => {
  it('rewrites whole legacy tokens and their =value form', () => {
    expect(rewriteLegacyFlags(['-bs', '8', '-dr=0.2', 'data'], TRAIN)).toEqual([
      '--batch-size',
      '8',
      '--dropout=0.2',
      'data',
    ]);
  });

  it('leaves other flags, values and everything after -- alone', () => {
    expect(rewriteLegacyFlags(['-b', '--bs', '-bsx', '--', '-bs'], TRAIN)).toEqual([
      '-b',
      '--bs',
      '-bsx',
      '--',
      '-bs',
    ]);
    expect(rewriteLegacyFlags(['--midi-prompt=a.mid'], { '--midi-prompt': '--primer' })).toEqual([
      '--primer=a.mid',
    ]);
  });
});

describe('rewriteForCommand', () => {
  it('uses the table of the subcommand and skips leading options', () => {
    const tables = { train: TRAIN, generate: { '-tm': '--tempo' } };
    expect(rewriteForCommand(['--verbose', 'generate', '-tm', '90', '-bs'], tables)).toEqual([
      '--verbose',
      'generate',
      '--tempo',
      '90',
      '-bs',
    ]);
    expect(rewriteForCommand(['info', '-bs'], tables)).toEqual(['info', '-bs']);
  });
});
