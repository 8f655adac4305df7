/**
 * The run-directory contract (docs/architecture.md "Run directory") as seen by the dashboard. The
 * trainer owns the record schemas and the pid probe; this file is the one place the dashboard takes
 * them from.
 */
export {
  type MetricsRecord,
  MetricsRecordSchema,
  pidAlive,
  type RunConfig,
  RunConfigSchema,
} from '@music-transformer/trainer';
