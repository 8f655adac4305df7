import { EventEmitter } from 'node:events';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { TrainerError } from './errors.js';
import {
  METRICS_SCHEMA_VERSION,
  type MetricsRecord,
  type MetricsRecordInput,
  type RunConfig,
  RunConfigSchema,
} from './records.js';

/** Events of a training run: every metrics record is emitted under `record` and under its own type. */
export interface TrainerEvents {
  record: [MetricsRecord];
  train: [MetricsRecord & { type: 'train' }];
  validation: [MetricsRecord & { type: 'validation' }];
  checkpoint: [MetricsRecord & { type: 'checkpoint' }];
  status: [MetricsRecord & { type: 'status' }];
  system: [MetricsRecord & { type: 'system' }];
  sample: [MetricsRecord & { type: 'sample' }];
}

/** In-process emitter of a run's records (`new TrainerEmitter()`, pass it to `train`). */
export class TrainerEmitter extends EventEmitter<TrainerEvents> {}

/**
 * Owns `<logdir>/<name>/`: writes config.json once, appends metrics.jsonl one line per record (one
 * `write` call per line, so a concurrent reader sees whole lines or a torn tail it can skip), and emits
 * the same records in process.
 */
export class RunWriter {
  readonly metricsPath: string;
  readonly checkpointsDir: string;
  readonly samplesDir: string;

  private constructor(
    readonly dir: string,
    private readonly events: EventEmitter<TrainerEvents> | undefined,
  ) {
    this.metricsPath = join(dir, 'metrics.jsonl');
    this.checkpointsDir = join(dir, 'checkpoints');
    this.samplesDir = join(dir, 'samples');
  }

  /**
   * Opens (and creates if needed) a run directory. An existing config.json is kept as written by the
   * first session of the run, so that `created` stays the run's birth time across resumes.
   */
  static open(
    dir: string,
    config: Omit<RunConfig, 'schema' | 'created'>,
    events?: EventEmitter<TrainerEvents>,
  ): RunWriter {
    const w = new RunWriter(dir, events);
    try {
      mkdirSync(w.checkpointsDir, { recursive: true });
      mkdirSync(w.samplesDir, { recursive: true });
    } catch (cause) {
      throw new TrainerError(
        'BAD_RUN_DIR',
        `cannot create run directory ${dir}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    }
    const configPath = join(dir, 'config.json');
    if (!existsSync(configPath)) {
      const full = RunConfigSchema.parse({ schema: 1, created: new Date().toISOString(), ...config });
      writeFileAtomic(configPath, new TextEncoder().encode(`${JSON.stringify(full, null, 2)}\n`));
    }
    w.healTornTail();
    return w;
  }

  /** Stamps `v` and `time`, appends one line, then emits. */
  append(input: MetricsRecordInput): MetricsRecord {
    const record = { v: METRICS_SCHEMA_VERSION, time: new Date().toISOString(), ...input } as MetricsRecord;
    const line = `${JSON.stringify(record)}\n`;
    const fd = openSync(this.metricsPath, 'a');
    try {
      writeSync(fd, line);
    } finally {
      closeSync(fd);
    }
    if (this.events) {
      this.events.emit('record', record);
      // The discriminated record is exactly its own event's payload; TS cannot correlate the two.
      (this.events.emit as (event: string, r: MetricsRecord) => boolean).call(
        this.events,
        record.type,
        record,
      );
    }
    return record;
  }

  /** A previous process killed mid-append leaves a line without newline; end it so ours start clean. */
  private healTornTail(): void {
    if (!existsSync(this.metricsPath)) return;
    const fd = openSync(this.metricsPath, 'r+');
    try {
      const size = fstatSync(fd).size;
      if (size === 0) return;
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n', size);
    } finally {
      closeSync(fd);
    }
  }
}
