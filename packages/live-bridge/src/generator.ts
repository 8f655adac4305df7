import type { SamplingControls } from './controls.js';
import type { TokenSource } from './token-source.js';

/** Events of a generator; `epoch` identifies the reset a batch belongs to, so stale batches are dropped. */
export interface GeneratorListener {
  tokens(ids: number[], epoch: number, busyMs: number): void;
  /** After a reset: the ids the source now conditions on (the primer). */
  primed(tokens: number[], epoch: number): void;
  error(error: Error): void;
}

/**
 * The bridge's view of generation: ask for more tokens, start over with a primer, change sampling.
 * `createWorkerGenerator` runs the source on a worker thread (the production path: the main thread
 * only schedules); `createInlineGenerator` runs it on the calling thread between macrotasks, for tests
 * with a hand-advanced clock, where blocking does not matter.
 */
export interface TokenGenerator {
  /** Resolves once the source is loaded. */
  readonly ready: Promise<void>;
  listen(listener: GeneratorListener): void;
  /** Asks for `count` more tokens (added to what is still owed). */
  request(count: number): void;
  /** Drops what is owed, resets the source with `primer`; returns the new epoch. */
  reset(primer: readonly number[]): number;
  setSampling(controls: Partial<SamplingControls>): void;
  close(): Promise<void>;
}

/** Tokens per posted batch: small enough to keep the buffer smooth, large enough to amortise messages. */
export const BATCH_TOKENS = 8;

/** Runs a TokenSource on the calling thread, one batch per macrotask. */
export function createInlineGenerator(source: TokenSource | Promise<TokenSource>): TokenGenerator {
  let listener: GeneratorListener | null = null;
  let owed = 0;
  let epoch = 0;
  let scheduled = false;
  let closed = false;
  let resolved: TokenSource | null = null;
  const ready = Promise.resolve(source).then((s) => {
    resolved = s;
  });
  const pump = () => {
    scheduled = false;
    if (closed || !resolved || owed <= 0) return;
    const start = performance.now();
    const ids: number[] = [];
    try {
      while (owed > 0 && ids.length < BATCH_TOKENS) {
        ids.push(resolved.next());
        owed--;
      }
    } catch (err) {
      owed = 0;
      listener?.error(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    listener?.tokens(ids, epoch, performance.now() - start);
    schedule();
  };
  const schedule = () => {
    if (scheduled || closed || owed <= 0) return;
    scheduled = true;
    setImmediate(pump);
  };
  return {
    ready,
    listen(l) {
      listener = l;
    },
    request(count) {
      owed += count;
      void ready.then(schedule);
    },
    reset(primer) {
      owed = 0;
      epoch++;
      const current = epoch;
      void ready.then(() => {
        if (!resolved || closed || current !== epoch) return;
        resolved.reset(primer);
        listener?.primed(Array.from(resolved.tokens), current);
      });
      return current;
    },
    setSampling(controls) {
      void ready.then(() => resolved?.setSampling(controls));
    },
    async close() {
      closed = true;
    },
  };
}
