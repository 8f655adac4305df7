import type { EventEmitter } from 'node:events';
import type { Output } from './output.js';

export interface TrainDashboardOptions {
  logdir: string;
  port: number;
  host: string;
}

export interface TrainDashboard {
  url: string;
  close(): Promise<void>;
}

/** Anything that emits the trainer's `record` event (the trainer's `TrainerEmitter`). */
type RecordEmitter = Pick<EventEmitter, 'on' | 'off'>;

/**
 * `mt train --dashboard`: serves the dashboard in the training process, on the run's logdir, and asks
 * it to re-read the run files on every record the trainer emits, so browsers see each step at once
 * instead of at the next poll. The server module is imported here, not at the top of train.ts: it pulls
 * in the dashboard package, which a plain `mt train` (or `mt --help`) should not load.
 */
export async function startTrainDashboard(
  options: TrainDashboardOptions,
  events: RecordEmitter,
  output: Output,
): Promise<TrainDashboard> {
  const { startDashboardServer } = await import('./dashboard-server.js');
  const server = await startDashboardServer(options);
  const onRecord = (): void => server.refresh();
  events.on('record', onRecord);
  // Asked for explicitly, so shown even with --json (stderr keeps stdout's JSON document clean).
  if (!output.flags.quiet) {
    output.io.stderr.write(`dashboard: ${server.url}\n`);
    if (server.token) output.io.stderr.write(`dashboard: token ${server.token} (needed by every request)\n`);
  }
  let closed: Promise<void> | null = null;
  return {
    url: server.url,
    close: () => {
      closed ??= (async () => {
        events.off('record', onRecord);
        await server.close();
      })();
      return closed;
    },
  };
}
