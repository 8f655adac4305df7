/**
 * The dashboard's ws protocol, shared by the server and the browser app (apps/web imports it as
 * `@music-transformer/dashboard/protocol`, so this file must stay free of Node and zod imports; type-only
 * imports are erased. The schemas that check what clients send are in messages.ts).
 *
 * Metrics travel in columns (one array per field) because the charts (uPlot) want columns and because a
 * 100,000-record history is far smaller and faster to parse as a few number arrays than as objects.
 */
import type { BridgeEvents, BridgeState } from '@music-transformer/live-bridge';

/** 2: the runs list is sent only to clients that sent `watch-runs`; histories arrive in chunks. */
export const PROTOCOL_VERSION = 2 as const;

/** Largest client message accepted, in bytes; ws closes the socket (code 1009) above it. */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** Names of the live-bridge events the dashboard forwards. */
export const LIVE_KINDS = [
  'note',
  'buffer',
  'underrun',
  'rate',
  'state',
] as const satisfies readonly (keyof BridgeEvents)[];
export type LiveKind = (typeof LIVE_KINDS)[number];

/** The payload a live bridge emits with event `K`. */
type BridgePayload<K extends keyof BridgeEvents> = BridgeEvents[K][0];

/**
 * A bridge event on the wire: its payload tagged with `kind`. Fields named in `Optional` may be left out
 * by a bridge in another process (an older or simpler sender); the dashboard shows what it gets.
 */
type Tagged<K extends keyof BridgeEvents, Optional extends keyof BridgePayload<K> = never> = {
  kind: K;
} & Omit<BridgePayload<K>, Optional> &
  Partial<Pick<BridgePayload<K>, Optional>>;

/**
 * Live-bridge status events (docs/architecture.md "live-bridge"): the bridge's `note`, `buffer`,
 * `underrun`, `rate` and `state` events with their payloads unchanged, tagged with `kind` (`state`,
 * whose payload is a bare string, travels as `{ kind: 'state', state }`). Times are the bridge clock in ms.
 */
export type LiveEvent =
  | Tagged<'note', 'channel' | 'lateMs'>
  | Tagged<'buffer'>
  | Tagged<'underrun', 'time'>
  | Tagged<'rate', 'realTimeFactor'>
  | { kind: 'state'; state: BridgeState };

/** What a browser (or a live bridge in another process) may send; validated by `ClientMessageSchema`. */
export type ClientMessage =
  /** Replaces the set of runs whose metrics this client receives (several = overlaid comparison). */
  | { type: 'subscribe'; runs: string[] }
  /** Asks for the runs list: the current one at once, then each change (at most a few per second). */
  | { type: 'watch-runs' }
  | { type: 'ping'; id?: number }
  /** A live bridge running in another process forwards its status events through the dashboard. */
  | { type: 'live'; event: LiveEvent };

/**
 * The columns carried to the browser: what the charts draw. Perplexities (exp of the losses) and the
 * elapsed/ETA seconds stay on the server (the runs list shows the latest ETA), which keeps a 100,000
 * record history about half the size.
 */
export const TRAIN_FIELDS = ['step', 'epoch', 'loss', 'accuracy', 'lr', 'grad_norm', 'tokens_per_s'] as const;
export const VALIDATION_FIELDS = ['step', 'epoch', 'val_loss', 'val_accuracy'] as const;
export const SYSTEM_FIELDS = ['cpu_percent', 'rss_bytes'] as const;

/**
 * Column store of one record type: `time` is epoch milliseconds, other columns are the record fields
 * rounded to 7 significant digits (float32 precision, far below what a chart or table shows), which
 * halves the JSON text of long histories. `step` and `epoch` are always numbers; a measured figure is
 * `null` where the trainer logged NaN or an infinity (a diverged run): charts draw a gap there.
 */
export type Columns<F extends string> = { time: number[] } & {
  [K in F]: K extends 'step' | 'epoch' ? number[] : (number | null)[];
};
export type TrainColumns = Columns<(typeof TRAIN_FIELDS)[number]>;
export type ValidationColumns = Columns<(typeof VALIDATION_FIELDS)[number]>;
export type SystemColumns = Columns<(typeof SYSTEM_FIELDS)[number]>;

export interface CheckpointMark {
  time: number;
  step: number;
  epoch: number;
  path: string;
  best: boolean;
}
export interface SampleMark {
  time: number;
  step: number;
  path: string;
}
export interface StatusMark {
  time: number;
  status: RunStatus;
  pid: number;
  message?: string;
}

/** Everything the charts need about one run; appended to as the trainer writes. */
export interface RunSeries {
  train: TrainColumns;
  validation: ValidationColumns;
  system: SystemColumns;
  checkpoints: CheckpointMark[];
  samples: SampleMark[];
  statuses: StatusMark[];
}

export type RunStatus = 'running' | 'finished' | 'stopped' | 'failed';
/** `unknown`: the run has no status record yet (config written, first record not yet). */
export type DisplayStatus = RunStatus | 'unknown';

export interface RunSummary {
  name: string;
  status: DisplayStatus;
  statusMessage: string | null;
  /** config.json as written by the trainer (hparams, training, dataset), null until it is readable. */
  config: Record<string, unknown> | null;
  /** Epoch ms: config `created`, else the first record's time. */
  startTime: number | null;
  lastTime: number | null;
  step: number | null;
  epoch: number | null;
  bestValLoss: number | null;
  etaS: number | null;
  trainRecords: number;
  /** Lines of metrics.jsonl that were not a valid record (a torn last line is not counted). */
  skippedLines: number;
  /** Sample files present under samples/ (relative to the run directory). */
  sampleFiles: string[];
}

export type ServerMessage =
  | { type: 'hello'; version: typeof PROTOCOL_VERSION; logdir: string }
  | { type: 'runs'; runs: RunSummary[] }
  /**
   * `reset`: replace what the client holds for this run (first send, or the file was rewritten). A long
   * history arrives as a `reset` message followed by appending ones (chunks of about 64 KB).
   */
  | { type: 'metrics'; run: string; reset: boolean; data: RunSeries }
  | { type: 'live'; event: LiveEvent }
  | { type: 'error'; code: 'BAD_MESSAGE'; message: string }
  | { type: 'pong'; id?: number };

export function emptySeries(): RunSeries {
  const cols = <F extends string>(fields: readonly F[]): Columns<F> => {
    const out: Record<string, (number | null)[]> = { time: [] };
    for (const f of fields) out[f] = [];
    return out as unknown as Columns<F>;
  };
  return {
    train: cols(TRAIN_FIELDS),
    validation: cols(VALIDATION_FIELDS),
    system: cols(SYSTEM_FIELDS),
    checkpoints: [],
    samples: [],
    statuses: [],
  };
}

/** Appends `more` to `into` in place (columns concatenated, marks appended); used on both sides. */
export function appendSeries(into: RunSeries, more: RunSeries): void {
  const cat = (a: Record<string, (number | null)[]>, b: Record<string, (number | null)[]>) => {
    for (const key of Object.keys(a)) {
      const src = b[key];
      const dst = a[key];
      if (!src || !dst) continue;
      for (let i = 0; i < src.length; i++) dst.push(src[i] as number | null);
    }
  };
  cat(into.train, more.train);
  cat(into.validation, more.validation);
  cat(into.system, more.system);
  into.checkpoints.push(...more.checkpoints);
  into.samples.push(...more.samples);
  into.statuses.push(...more.statuses);
}

export function seriesIsEmpty(s: RunSeries): boolean {
  return (
    s.train.time.length === 0 &&
    s.validation.time.length === 0 &&
    s.system.time.length === 0 &&
    s.checkpoints.length === 0 &&
    s.samples.length === 0 &&
    s.statuses.length === 0
  );
}
