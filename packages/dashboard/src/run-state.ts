import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkedHistory } from './history-chunks.js';
import { JsonlTail } from './jsonl-tail.js';
import { appendSeries, emptySeries, type RunSeries, type RunSummary, seriesIsEmpty } from './protocol.js';
import { linesToSeries } from './record-columns.js';
import { type RunConfig, RunConfigSchema } from './records.js';
import { summarizeRun } from './run-summary.js';

export interface RunUpdate {
  /** Replace, not append: first read of the run, or metrics.jsonl was rewritten. */
  reset: boolean;
  /** New records since the previous refresh (the whole history when `reset`). */
  data: RunSeries;
}

/** What the dashboard knows about one `<logdir>/<name>/`, kept current by `refresh()`. */
export class RunState {
  private readonly tail: JsonlTail;
  private series: RunSeries = emptySeries();
  private config: RunConfig | null = null;
  private configText = '';
  private skipped = 0;
  private lastEtaS: number | null = null;
  private sampleFiles: string[] = [];
  private announced = false;
  /** The serialized history: sealed chunks shared by every subscriber, the tail redone per record. */
  private readonly chunked: ChunkedHistory;

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    this.tail = new JsonlTail(join(dir, 'metrics.jsonl'));
    this.chunked = new ChunkedHistory(name);
  }

  /** Reads whatever changed on disk; returns null when no metrics record was added. */
  refresh(): RunUpdate | null {
    this.readConfig();
    this.sampleFiles = listSamples(this.dir);
    const { lines, reset } = this.tail.read();
    if (reset) {
      this.series = emptySeries();
      this.skipped = 0;
      this.lastEtaS = null;
    }
    const parsed = linesToSeries(lines);
    if (reset) this.chunked.reset();
    else if (!seriesIsEmpty(parsed.series)) this.chunked.grew();
    this.skipped += parsed.skipped;
    if (parsed.lastEtaS !== null) this.lastEtaS = parsed.lastEtaS;
    appendSeries(this.series, parsed.series);
    if (reset || !this.announced) {
      this.announced = true;
      return { reset: true, data: this.series };
    }
    return seriesIsEmpty(parsed.series) ? null : { reset: false, data: parsed.series };
  }

  /** The full history, for a client that subscribes after the run was first read. */
  history(): RunSeries {
    return this.series;
  }

  /**
   * The history as ready-to-send `metrics` messages (the first a reset; see history-chunks.ts).
   * Serializing 100,000 records takes ~100 ms, so it is done once: later calls serialize only what was
   * appended since the last sealed chunk.
   */
  historyChunks(): readonly Buffer[] {
    return this.chunked.chunks(this.series);
  }

  summary(isAlive: (pid: number) => boolean): RunSummary {
    return summarizeRun({
      name: this.name,
      config: this.config,
      series: this.series,
      skippedLines: this.skipped,
      sampleFiles: this.sampleFiles,
      lastEtaS: this.lastEtaS,
      isAlive,
    });
  }

  /** config.json is rewritten atomically by the trainer; an unreadable or invalid one counts as absent. */
  private readConfig(): void {
    let text: string;
    try {
      text = readFileSync(join(this.dir, 'config.json'), 'utf8');
    } catch {
      this.config = null;
      this.configText = '';
      return;
    }
    if (text === this.configText) return;
    this.configText = text;
    try {
      this.config = RunConfigSchema.parse(JSON.parse(text));
    } catch {
      this.config = null;
    }
  }
}

function listSamples(dir: string): string[] {
  try {
    return (
      readdirSync(join(dir, 'samples'))
        .filter((f) => f.toLowerCase().endsWith('.mid') && !f.startsWith('.'))
        // Newest first with numbers compared as numbers: step-30, step-28, ..., step-2.
        .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
        .map((f) => `samples/${f}`)
    );
  } catch {
    return [];
  }
}
