import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrainerError } from './errors.js';
import {
  type MetricsRecord,
  MetricsRecordSchema,
  type RunConfig,
  RunConfigSchema,
  type RunStatus,
} from './records.js';

export interface MetricsReadResult {
  records: MetricsRecord[];
  /** Lines that were not valid JSON or not a known record (1-based line numbers), excluding a torn tail. */
  skipped: number[];
  /** True when the last line had no newline and did not parse: a writer was mid-append. */
  tornTail: boolean;
}

/**
 * Reads metrics.jsonl while another process may be appending to it. A final line without its newline is
 * ignored when it does not parse (a torn write); unknown record types and unknown fields are tolerated
 * (forward compatibility), so a newer trainer's log stays readable by an older dashboard.
 */
export function readMetrics(path: string): MetricsReadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TrainerError('BAD_RUN_DIR', `cannot read metrics file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  return parseMetrics(text);
}

/** Parses the text of a metrics.jsonl file (see `readMetrics`). */
export function parseMetrics(text: string): MetricsReadResult {
  const lines = text.split('\n');
  const complete = text.endsWith('\n');
  const records: MetricsRecord[] = [];
  const skipped: number[] = [];
  let tornTail = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isTail = i === lines.length - 1 && !complete;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (isTail) tornTail = true;
      else skipped.push(i + 1);
      return;
    }
    const parsed = MetricsRecordSchema.safeParse(json);
    if (parsed.success) records.push(parsed.data);
    else skipped.push(i + 1);
  });
  return { records, skipped, tornTail };
}

export interface RunSummary {
  dir: string;
  config: RunConfig;
  records: MetricsRecord[];
  /** Last status record's status; `running` with a dead pid becomes `failed` (the process crashed). */
  status: RunStatus | 'unknown';
  /** Checkpoint files present under checkpoints/. */
  checkpoints: string[];
  /** Sample files present under samples/. */
  samples: string[];
}

/** Reads a run directory (config.json, metrics.jsonl, checkpoints/, samples/), live or finished. */
export function readRun(dir: string, isAlive: (pid: number) => boolean = pidAlive): RunSummary {
  const configPath = join(dir, 'config.json');
  let config: RunConfig;
  try {
    config = RunConfigSchema.parse(JSON.parse(readFileSync(configPath, 'utf8')));
  } catch (cause) {
    throw new TrainerError(
      'BAD_RUN_DIR',
      `${configPath} is missing or invalid: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const metricsPath = join(dir, 'metrics.jsonl');
  const records = existsSync(metricsPath) ? readMetrics(metricsPath).records : [];
  let status: RunSummary['status'] = 'unknown';
  for (const r of records) {
    if (r.type === 'status') status = r.status === 'running' && !isAlive(r.pid) ? 'failed' : r.status;
  }
  return {
    dir,
    config,
    records,
    status,
    checkpoints: listFiles(join(dir, 'checkpoints'), '.safetensors'),
    samples: listFiles(join(dir, 'samples'), '.mid'),
  };
}

function listFiles(dir: string, ext: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.startsWith('.'))
    .sort();
}

/** `kill(pid, 0)` probes a process without signalling it; EPERM means it exists but is not ours. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
