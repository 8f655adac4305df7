import { existsSync, type FSWatcher, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { RunSummary, ServerMessage } from './protocol.js';
import { pidAlive } from './records.js';
import { RunState } from './run-state.js';

export interface WatcherListener {
  /**
   * New records of one run as serialized `metrics` messages: one message appending rows, or (`reset`)
   * the whole history in chunks, which the run state keeps serialized for later subscribers too, so the
   * first page load does not pay for it.
   */
  metrics(run: string, update: MetricsUpdate): void;
  /** The runs list changed (a run appeared or vanished, a status, step or sample changed). */
  runs(summaries: RunSummary[]): void;
}

export type MetricsUpdate = { reset: true; chunks: readonly Buffer[] } | { reset: false; message: string };

export interface WatcherOptions {
  logdir: string;
  /** Polling period; fs.watch only shortens the delay, polling is what guarantees delivery. */
  pollMs: number;
  isAlive?: (pid: number) => boolean;
}

/**
 * Follows every run under the logdir. Polling (stat + read of what was appended) is the ground truth,
 * because fs.watch is unreliable on network and container filesystems and misses files created before
 * the watch; fs.watch events only trigger an early poll. The logdir may not exist yet (dashboard started
 * before the first training run) and runs may appear, be deleted or be recreated at any time.
 */
export class LogdirWatcher {
  private readonly runs = new Map<string, RunState>();
  private readonly watchers = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private lastRunsJson = '';
  private readonly isAlive: (pid: number) => boolean;

  constructor(
    private readonly options: WatcherOptions,
    private readonly listener: WatcherListener,
  ) {
    this.isAlive = options.isAlive ?? pidAlive;
  }

  start(): void {
    this.poll();
    this.timer = setInterval(() => this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = null;
    this.soon = null;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  /** Polls on the next tick; several calls in a burst (one per appended line) collapse into one poll. */
  pollSoon(): void {
    if (this.soon || !this.timer) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.poll();
    }, 10);
    this.soon.unref();
  }

  summaries(): RunSummary[] {
    return [...this.runs.values()].map((r) => r.summary(this.isAlive)).sort(byStartThenName);
  }

  /** The serialized history of a run (`metrics` chunks, the first a reset), or null while it does not exist. */
  historyChunks(run: string): readonly Buffer[] | null {
    return this.runs.get(run)?.historyChunks() ?? null;
  }

  /** One pass: discover runs, read what they appended, announce changes. Never throws. */
  poll(): void {
    const names = this.listRuns();
    this.watchDir('', this.options.logdir);
    for (const [name] of this.runs) {
      if (!names.has(name)) {
        this.runs.delete(name);
        this.watchers.get(name)?.close();
        this.watchers.delete(name);
      }
    }
    for (const name of names) {
      let state = this.runs.get(name);
      if (!state) {
        state = new RunState(name, join(this.options.logdir, name));
        this.runs.set(name, state);
        this.watchDir(name, state.dir);
      }
      let update: ReturnType<RunState['refresh']>;
      try {
        update = state.refresh();
      } catch {
        continue; // a file vanished between listing and reading: the next poll sees the new state
      }
      if (!update) continue;
      this.listener.metrics(
        name,
        update.reset
          ? { reset: true, chunks: state.historyChunks() }
          : {
              reset: false,
              message: JSON.stringify({
                type: 'metrics',
                run: name,
                reset: false,
                data: update.data,
              } satisfies ServerMessage),
            },
      );
    }
    const summaries = this.summaries();
    const json = JSON.stringify(summaries);
    if (json !== this.lastRunsJson) {
      this.lastRunsJson = json;
      this.listener.runs(summaries);
    }
  }

  /** A run is a child folder holding config.json or metrics.jsonl (the trainer writes config first). */
  private listRuns(): Set<string> {
    const names = new Set<string>();
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(this.options.logdir, { withFileTypes: true });
    } catch {
      return names;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const dir = join(this.options.logdir, e.name);
      if (existsSync(join(dir, 'config.json')) || existsSync(join(dir, 'metrics.jsonl'))) names.add(e.name);
    }
    return names;
  }

  private watchDir(key: string, dir: string): void {
    if (this.watchers.has(key)) return;
    try {
      const w = watch(dir, { persistent: false }, () => this.pollSoon());
      w.on('error', () => {
        w.close();
        this.watchers.delete(key);
      });
      this.watchers.set(key, w);
    } catch {
      // Directory missing or watching unsupported: polling covers it.
    }
  }
}

function byStartThenName(a: RunSummary, b: RunSummary): number {
  return (b.startTime ?? 0) - (a.startTime ?? 0) || a.name.localeCompare(b.name);
}
