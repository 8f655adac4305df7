import type { DisplayStatus, RunSeries, RunSummary } from './protocol.js';
import type { RunConfig } from './records.js';

export interface SummaryInput {
  name: string;
  config: RunConfig | null;
  series: RunSeries;
  skippedLines: number;
  sampleFiles: string[];
  /** `eta_s` of the latest train record. */
  lastEtaS: number | null;
  isAlive: (pid: number) => boolean;
}

/**
 * The runs-list row of one run. Status is the last status record's, except that `running` with a dead
 * pid is reported as `failed`: the trainer crashed before it could write its final status.
 */
export function summarizeRun(input: SummaryInput): RunSummary {
  const { series, config } = input;
  const last = series.statuses.at(-1);
  let status: DisplayStatus = last?.status ?? 'unknown';
  let statusMessage = last?.message ?? null;
  if (last && last.status === 'running' && !input.isAlive(last.pid)) {
    status = 'failed';
    statusMessage = `process ${last.pid} is gone without writing a final status (crashed or killed)`;
  }
  const train = series.train;
  const n = train.step.length;
  let bestValLoss: number | null = null;
  for (const v of series.validation.val_loss) {
    if (v !== null && Number.isFinite(v) && (bestValLoss === null || v < bestValLoss)) bestValLoss = v;
  }
  const created = config ? Date.parse(config.created) : Number.NaN;
  const firstTimes = [train.time[0], series.statuses[0]?.time].filter((t): t is number => t !== undefined);
  const lastTimes = [train.time.at(-1), series.validation.time.at(-1), last?.time].filter(
    (t): t is number => t !== undefined && Number.isFinite(t),
  );
  return {
    name: input.name,
    status,
    statusMessage,
    config: config as Record<string, unknown> | null,
    startTime: Number.isFinite(created) ? created : firstTimes.length > 0 ? Math.min(...firstTimes) : null,
    lastTime: lastTimes.length > 0 ? Math.max(...lastTimes) : null,
    step: n > 0 ? (train.step[n - 1] as number) : null,
    epoch: n > 0 ? (train.epoch[n - 1] as number) : null,
    bestValLoss,
    etaS: status === 'running' ? input.lastEtaS : null,
    trainRecords: n,
    skippedLines: input.skippedLines,
    sampleFiles: input.sampleFiles,
  };
}
