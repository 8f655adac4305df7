import type { CheckpointMeta, EpochLoss } from './checkpoint-meta.js';

/** Mutable progress of a run; everything a checkpoint needs besides the engine state. */
export interface Progress {
  step: number;
  epoch: number;
  batchInEpoch: number;
  epochLossSum: number;
  epochLossCount: number;
  lossHistory: EpochLoss[];
  bestValLoss: number | null;
  elapsedBefore: number;
}

export function freshProgress(): Progress {
  return {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    epochLossSum: 0,
    epochLossCount: 0,
    lossHistory: [],
    bestValLoss: null,
    elapsedBefore: 0,
  };
}

export function progressFrom(meta: CheckpointMeta): Progress {
  return {
    step: meta.step,
    epoch: meta.epoch,
    batchInEpoch: meta.batch_in_epoch,
    epochLossSum: meta.epoch_loss_sum,
    epochLossCount: meta.epoch_loss_count,
    lossHistory: meta.loss_history,
    bestValLoss: meta.best_val_loss,
    elapsedBefore: meta.elapsed_s,
  };
}
