/**
 * The training engine as the loop sees it (docs/architecture.md, "Training engine"): the model package's
 * types, so the two cannot drift; the default engine is `createTrainingEngine` of @music-transformer/model.
 */

import type { BackendChoice, TrainingEngine as ModelTrainingEngine } from '@music-transformer/model';

export type {
  EngineState,
  EvalResult,
  StepOptions,
  StepResult,
  TokenBatch,
} from '@music-transformer/model';

/** What the loop calls; test doubles need not report the backend or worker count. */
export type TrainingEngine = Omit<ModelTrainingEngine, 'backend' | 'workers'>;

export interface EngineFactoryOptions {
  hparams: Record<string, unknown>;
  seed: number;
  workers: number;
  backend: BackendChoice;
  /** Target id left out of the loss (the dataset vocabulary's pad). */
  padId: number;
}

export type EngineFactory = (options: EngineFactoryOptions) => Promise<TrainingEngine>;
