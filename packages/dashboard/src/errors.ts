import { CodedError } from '@music-transformer/vocab';

/**
 * The dashboard's one error class. `USAGE`: an option is invalid (a CLI maps it to its usage exit);
 * `NOT_FOUND`: the built app is missing; `FAILED`: the port cannot be bound.
 */
export type DashboardErrorCode = 'USAGE' | 'NOT_FOUND' | 'FAILED';

export class DashboardError extends CodedError<DashboardErrorCode> {
  override readonly name = 'DashboardError';
}
