import type { WindowScheme } from '@music-transformer/vocab';
import type { CommonFlags } from '../command-kit.js';
import type { MidiLimitFlags } from '../midi-limits-option.js';
import type { VocabFlags } from '../vocab-options.js';

/** `mt preprocess`'s options as commander parses them (defaults filled in). */
export interface PreprocessOptions extends CommonFlags, VocabFlags, MidiLimitFlags {
  transpositions?: number[];
  timeStretches?: number[];
  windows?: WindowScheme;
  seed: number;
  workers?: number;
  valSplit: number;
  drums?: boolean;
  force?: boolean;
}
