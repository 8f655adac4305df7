export { writeFileAtomic } from './atomic-write.js';
export {
  BEST_CHECKPOINT,
  type Checkpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  listStepCheckpoints,
  readCheckpoint,
} from './checkpoint.js';
export { type CheckpointMeta, CheckpointMetaSchema, type EpochLoss } from './checkpoint-meta.js';
export {
  type BuildDatasetOptions,
  type BuildProgress,
  buildDataset,
  type DatasetResult,
} from './dataset-build.js';
export { type LoadedDataset, readDataset } from './dataset-file.js';
export {
  type DatasetFileEntry,
  type DatasetMeta,
  DatasetMetaSchema,
  datasetWindowScheme,
  type SkippedFile,
  WindowSchemeSchema,
} from './dataset-meta.js';
export type {
  EngineFactory,
  EngineFactoryOptions,
  EngineState,
  EvalResult,
  StepOptions,
  StepResult,
  TokenBatch,
  TrainingEngine,
} from './engine.js';
export { TrainerError, type TrainerErrorCode } from './errors.js';
export { transformerLr } from './lr-schedule.js';
export {
  type MetricsReadResult,
  parseMetrics,
  pidAlive,
  type RunSummary,
  readMetrics,
  readRun,
} from './metrics-reader.js';
export {
  type CheckpointRecord,
  CheckpointRecordSchema,
  METRICS_SCHEMA_VERSION,
  type MetricsRecord,
  MetricsRecordSchema,
  type RunConfig,
  RunConfigSchema,
  type RunStatus,
  RunStatusSchema,
  type SampleRecord,
  SampleRecordSchema,
  type StatusRecord,
  StatusRecordSchema,
  type SystemRecord,
  SystemRecordSchema,
  type TrainRecord,
  TrainRecordSchema,
  type ValidationRecord,
  ValidationRecordSchema,
} from './records.js';
export { RunWriter, TrainerEmitter, type TrainerEvents } from './run-writer.js';
export { removeStaleTemps, tempPathFor } from './temp-files.js';
export { type TrainHooks, type TrainResult, train } from './train.js';
export {
  parseTrainOptions,
  type TrainOptions,
  type TrainOptionsInput,
  TrainOptionsSchema,
} from './train-options.js';
