import type { Waker } from './clock.js';
import { type BridgeEvents, RateMeter } from './status.js';

export interface StatusReport {
  /** Every interval: the bridge refills its buffer and reports its level. */
  tick(): void;
  /** About once a second, when something was generated since the last report. */
  rate(figures: BridgeEvents['rate'][0]): void;
}

/**
 * The bridge's periodic status. Ticks run on the injected clock's waker (coarse wake-ups), so tests with
 * a fake clock see them too. The generation rate is measured by `rate` from the worker's busy time.
 */
export class StatusTicker {
  readonly rate = new RateMeter();
  private cancelNext: (() => void) | null = null;
  private stopped = false;
  private lastRateMs = 0;

  constructor(
    private readonly waker: Waker,
    private readonly intervalMs: number,
    private readonly report: StatusReport,
  ) {}

  start(fromMs: number): void {
    this.schedule(fromMs);
  }

  stop(): void {
    this.stopped = true;
    this.cancelNext?.();
    this.cancelNext = null;
  }

  private schedule(fromMs: number): void {
    const at = fromMs + this.intervalMs;
    this.cancelNext = this.waker.wakeAt(at, () => this.tick(at), true);
  }

  private tick(at: number): void {
    if (this.stopped) return;
    this.report.tick();
    if (at - this.lastRateMs >= 1000) {
      this.lastRateMs = at;
      const figures = this.rate.take();
      if (figures) this.report.rate(figures);
    }
    this.schedule(at);
  }
}
