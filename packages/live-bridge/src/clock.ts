/**
 * Time for the bridge comes from two small injected interfaces, so tests can drive a hand-advanced
 * clock and production uses the monotonic high-resolution clock. All times are milliseconds on the
 * clock's own axis (never wall-clock dates, which jump when the system time is adjusted).
 */
export interface Clock {
  /** Monotonic time in milliseconds (fractional). */
  now(): number;
}

/** Calls back at (never before) an absolute time of the clock. */
export interface Waker {
  /**
   * Schedules `callback` for absolute time `atMs`; returns a function that cancels it. `coarse`
   * wake-ups (status ticks) may come a few ms late and must not cost precision work.
   */
  wakeAt(atMs: number, callback: () => void, coarse?: boolean): () => void;
}

/** `process.hrtime` in milliseconds: monotonic and sub-microsecond, unaffected by NTP adjustments. */
export const monotonicClock: Clock = {
  now: () => Number(process.hrtime.bigint()) / 1e6,
};

/** How early the coarse timer fires before the target; the rest is waited out precisely. */
const COARSE_MARGIN_MS = 3;
/** Below this the remaining wait is spun, because Atomics.wait cannot sleep that precisely. */
const SPIN_BELOW_MS = 0.25;

/**
 * A waker for real time: `setTimeout` alone fires 1-2 ms late (more under load), so it is only used to
 * get within a few ms of the target; the remainder is slept with `Atomics.wait` (sub-ms, gives the CPU
 * back) and finally spun. The callback therefore runs at or just after the target, never before it.
 * Only the bridge's scheduling runs on this thread, so the short blocking wait delays nothing else.
 */
export function createPreciseWaker(clock: Clock = monotonicClock): Waker {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const waitUntil = (atMs: number): void => {
    for (;;) {
      const remaining = atMs - clock.now();
      if (remaining <= 0) return;
      if (remaining > SPIN_BELOW_MS) Atomics.wait(sleeper, 0, 0, remaining - SPIN_BELOW_MS);
    }
  };
  return {
    wakeAt(atMs, callback, coarseOnly = false) {
      let cancelled = false;
      const fire = () => {
        if (cancelled) return;
        if (!coarseOnly) waitUntil(atMs);
        if (!cancelled) callback();
      };
      const coarse = atMs - clock.now() - (coarseOnly ? 0 : COARSE_MARGIN_MS);
      const handle = coarse > 0 ? setTimeout(fire, coarse) : setImmediate(fire);
      return () => {
        cancelled = true;
        if (coarse > 0) clearTimeout(handle as NodeJS.Timeout);
        else clearImmediate(handle as NodeJS.Immediate);
      };
    },
  };
}

/**
 * A waker on `setTimeout` alone, for a thread that does not send itself (the port's own sending thread
 * keeps the time): it may fire a few ms late, never early by the clock (an early timer is re-armed).
 */
export function createCoarseWaker(clock: Clock = monotonicClock): Waker {
  return {
    wakeAt(atMs, callback) {
      let handle: NodeJS.Timeout;
      const arm = () => {
        handle = setTimeout(
          () => {
            if (clock.now() < atMs) arm();
            else callback();
          },
          Math.max(0, atMs - clock.now()),
        );
      };
      arm();
      return () => clearTimeout(handle);
    },
  };
}
