import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/**
 * Progress for long work. On a terminal: a cli-progress bar with rate and ETA on stderr. Elsewhere
 * (CI logs, pipes): one plain line per interval, so logs stay readable and small. Nothing at all
 * under --quiet or --json.
 */
export interface Progress {
  /** Sets the absolute position; `detail` is a short free text such as "loss 3.21". */
  update(value: number, detail?: string): void;
  /** Changes the total (when it becomes known late, e.g. after a resume). */
  setTotal(total: number): void;
  /** Ends the progress display with a final line. */
  stop(): void;
  /** Ends it without a final line, when the work failed and the error is what the user must see. */
  abort(): void;
}

export interface ProgressOptions {
  label: string;
  total: number;
  unit: string;
  /** Minimum time between two log lines in non-interactive mode. */
  intervalMs?: number;
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(2);
}

export function startProgress(output: Output, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const start = now();
  let total = Math.max(options.total, 1);
  const rateOf = (value: number): number => value / Math.max((now() - start) / 1000, 1e-3);

  if (output.flags.quiet || output.flags.json) {
    return { update() {}, setTotal() {}, stop() {}, abort() {} };
  }

  if (output.interactive) {
    const stream = output.io.stderr as NodeJS.WritableStream;
    const bar = new cliProgress.SingleBar(
      {
        format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {rate} ${options.unit}/s | ETA {eta_formatted} {detail}`,
        stream,
        hideCursor: true,
        etaBuffer: 50,
        // Redraw even when the text is unchanged: after a message is written above the bar, the bar
        // must come back although its own text did not move.
        forceRedraw: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { rate: '0', detail: '' });
    const detach = output.attachLiveLine({
      clear: () => stream.write('\r\x1b[2K'),
      redraw: () => bar.render(),
    });
    const end = (): void => {
      detach();
      bar.stop();
    };
    return {
      update(value, detail = '') {
        bar.update(value, { rate: formatRate(rateOf(value)), detail });
      },
      setTotal(next) {
        total = Math.max(next, 1);
        bar.setTotal(total);
      },
      stop: end,
      abort: end,
    };
  }

  const interval = options.intervalMs ?? 5000;
  let lastLine = start;
  let lastValue = 0;
  let lastDetail = '';
  const line = (value: number, detail: string): string => {
    const rate = rateOf(value);
    const eta = rate > 0 ? (total - value) / rate : Number.NaN;
    const pct = Math.min(100, Math.floor((100 * value) / total));
    const tail = detail === '' ? '' : ` | ${detail}`;
    return `${options.label}: ${value}/${total} ${options.unit} (${pct}%) | ${formatRate(rate)} ${options.unit}/s | ETA ${formatDuration(eta)}${tail}`;
  };
  return {
    update(value, detail = '') {
      lastValue = value;
      lastDetail = detail;
      if (now() - lastLine >= interval) {
        lastLine = now();
        output.io.stderr.write(`${line(value, detail)}\n`);
      }
    },
    setTotal(next) {
      total = Math.max(next, 1);
    },
    stop() {
      output.io.stderr.write(`${line(lastValue, lastDetail)}\n`);
    },
    abort() {},
  };
}
