/**
 * `mt tokenize song.mid | head` or `mt train --help | head -1` closes the pipe early: that is the reader's
 * choice, not an error. Node reports it as an 'error' event (EPIPE) on process.stdout/stderr, and an
 * 'error' event without a listener crashes the process with a stack trace, wherever the write came from
 * (our output, or commander's help via `writeOut`). With this guard the process ends at once, quietly,
 * with the status it had so far (0 unless a failure was already recorded).
 */
let installed = false;

export function exitQuietlyOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (isClosedPipe(error)) process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

/** A write to a pipe whose reader has gone (thrown by a custom stream, or emitted by a socket). */
export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE';
}
