import { CodedError } from '@music-transformer/vocab';

/** Closed set of failure kinds; the CLI maps each to a message and an exit status. */
export type TrainerErrorCode =
  | 'BAD_OPTIONS'
  | 'BAD_SOURCE'
  | 'EMPTY_DATASET'
  | 'BAD_DATASET'
  | 'BAD_CHECKPOINT'
  | 'RESUME_MISMATCH'
  | 'NON_FINITE_LOSS'
  | 'BAD_RUN_DIR'
  | 'OUT_OF_MEMORY'
  | 'STEP_FAILED'
  | 'IO'
  | 'STOPPED';

/** The one error class of the trainer package; `code` is what tests and callers branch on. */
export class TrainerError extends CodedError<TrainerErrorCode> {
  override readonly name = 'TrainerError';
}
