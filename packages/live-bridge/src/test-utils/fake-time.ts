import type { Clock, Waker } from '../clock.js';

/** A clock that only moves when told to, with a waker that fires exactly at the requested times. */
export class FakeTime implements Clock, Waker {
  private t = 0;
  private seq = 0;
  private pending: Array<{ at: number; seq: number; cb: () => void }> = [];

  now(): number {
    return this.t;
  }

  wakeAt(atMs: number, callback: () => void): () => void {
    const entry = { at: atMs, seq: this.seq++, cb: callback };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((e) => e !== entry);
    };
  }

  /** Moves time forward by `ms`, running each due callback at its own time, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.pending.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.pending[0];
      if (!next || next.at > end) break;
      this.pending.shift();
      this.t = Math.max(this.t, next.at);
      next.cb();
    }
    this.t = end;
  }
}
