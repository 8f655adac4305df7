import type { BackendChoice, HParamPresetName } from '@music-transformer/model/hparams';
import type { CommonFlags } from '../command-kit.js';
import type { DashboardFlag } from '../dashboard-option.js';

/** Architecture flags and the hparams name each sets. */
export const HPARAM_FLAGS = {
  dModel: 'd_model',
  numLayers: 'num_layers',
  numHeads: 'num_heads',
  dFeedforward: 'd_ff',
  maxRelDist: 'max_rel_dist',
  maxAbsPosition: 'max_abs_position',
  bias: 'bias',
  dropout: 'dropout',
  layernormEps: 'layernorm_eps',
  norm: 'norm',
} as const;

export type HparamFlag = keyof typeof HPARAM_FLAGS;

/** `mt train`'s positional arguments. */
export interface TrainArgs {
  data: string;
  checkpoint: string;
  savePath: string;
  epochs: number;
}

/** `mt train`'s options as commander parses them (defaults filled in). */
export interface TrainOptions extends CommonFlags {
  loadCheckpoint?: boolean;
  batchSize: number;
  warmupSteps: number;
  preset?: HParamPresetName;
  dModel?: number;
  numLayers?: number;
  numHeads?: number;
  dFeedforward?: number;
  maxRelDist?: number;
  maxAbsPosition?: number;
  /** `--no-bias` sets it false; it is only used when given on the command line. */
  bias?: boolean;
  dropout?: number;
  layernormEps?: number;
  norm?: 'pre' | 'post';
  accumulate: number;
  labelSmoothing: number;
  clipNorm?: number;
  checkpointEvery: number;
  logdir: string;
  name?: string;
  seed: number;
  backend: BackendChoice;
  workers: number;
  maxSteps?: number;
  validateEvery: number;
  logEvery: number;
  force?: boolean;
  dashboard?: DashboardFlag;
  /** The removed `--port` (now `--dashboard <port>`), kept hidden so its use gets a clear error. */
  port?: string | true;
  host: string;
  /**
   * Options given on the command line (not defaults): architecture flags override the preset only
   * then, and `--host` is an error without `--dashboard` only then.
   */
  given: ReadonlySet<string>;
}
