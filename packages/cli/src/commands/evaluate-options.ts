import type { BackendChoice } from '@music-transformer/model/hparams';
import type { CommonFlags } from '../command-kit.js';

/** `mt evaluate`'s options as commander parses them (defaults filled in). */
export interface EvaluateOptions extends CommonFlags {
  split: 'validation' | 'train' | 'all';
  length?: number;
  batchSize: number;
  backend: BackendChoice;
}
