import type { Output } from './output.js';

/** What a long command watches to stop cleanly: `signal` aborts on the first Ctrl-C. */
export interface Interrupt {
  signal: AbortSignal;
  /** Stops watching and restores Node's default handling. */
  dispose(): void;
}

/** Starts watching for Ctrl-C; `notice` is the status line shown on the first one. */
export type InterruptSource = (output: Output, notice: string) => Interrupt;

/**
 * Ctrl-C for every long command: the first SIGINT aborts the signal (the command finishes or drops the
 * item in hand, writes nothing torn, and returns); a second one quits at once with 130, the shell's
 * usual status for SIGINT. The notice is a status line: above a progress bar, and not under --quiet.
 */
export const processSigint: InterruptSource = (output, notice) => {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (!controller.signal.aborted) {
      output.status(`interrupt: ${notice} (Ctrl-C again to quit at once)`);
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
};

/** Starts watching for what ends a command that runs until stopped; its signal aborts once, at the end. */
export type StopSource = () => Interrupt;

/**
 * Ctrl-C or SIGTERM for commands that run until stopped (`mt live`, `mt dashboard`): either aborts the
 * signal once, and the command ends cleanly (the bridge silences its notes before the ports close).
 * `dispose()` restores Node's default handling.
 */
export function stopOnSignals(): Interrupt {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
