import type { Output } from './output.js';

/**
 * Ctrl-C during training: the first SIGINT aborts the signal (the trainer finishes its step, writes a
 * checkpoint and returns `stopped`, and the command exits 0); a second one quits at once with 130,
 * the shell's usual status for SIGINT. `dispose()` restores Node's default handling. The notice is a
 * status line: above a progress bar, and not under --quiet.
 */
export function interruptOnSigint(output: Output): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (!controller.signal.aborted) {
      output.status(
        'interrupt: finishing the current step and saving a checkpoint (Ctrl-C again to quit at once)',
      );
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/**
 * Ctrl-C or SIGTERM for commands that run until stopped (`mt live`): either aborts the signal once,
 * and the command ends cleanly (the bridge silences its notes before the ports close).
 * `dispose()` restores Node's default handling.
 */
export function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
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
