import { CliError, EXIT } from './errors.js';
import type { Io } from './output.js';

/**
 * Turns any thrown value into one line on stderr and an exit status. The library packages each have
 * one error class with a code (VocabError, MidiParseError, ModelError, TrainerError); their messages
 * already name the file or value, so they are printed as they are. Anything else is a bug or an
 * environment problem: still one line, and `--verbose` adds the stack and the chain of causes.
 */
const LIBRARY_ERRORS = new Set([
  'VocabError',
  'MidiParseError',
  'ModelError',
  'TrainerError',
  'BridgeError',
  'DashboardError',
]);

export interface ReportedError {
  exitCode: number;
  line: string;
}

export function describeError(error: unknown): ReportedError {
  if (error instanceof CliError) return { exitCode: error.exitCode, line: error.message };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (LIBRARY_ERRORS.has(error.name)) {
      // A dashboard option the user typed (e.g. a short --token) is a usage mistake, like a CliError's.
      const usage = error.name === 'DashboardError' && code === 'USAGE';
      return { exitCode: usage ? EXIT.usage : EXIT.failure, line: firstLine(error.message) };
    }
    // Node's own errors (ENOENT, EACCES...) carry a path: keep it in the line.
    const path = (error as { path?: unknown }).path;
    const where = typeof path === 'string' && !error.message.includes(path) ? ` (${path})` : '';
    const tag = typeof code === 'string' ? `${code}: ` : '';
    return { exitCode: EXIT.failure, line: `${tag}${firstLine(error.message)}${where}` };
  }
  return { exitCode: EXIT.failure, line: String(error) };
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.trim() === '' ? 'unknown error' : line;
}

function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      parts.push(
        depth === 0 ? (current.stack ?? current.message) : `caused by: ${current.stack ?? current.message}`,
      );
      current = current.cause;
    } else {
      parts.push(`caused by: ${String(current)}`);
      break;
    }
  }
  return parts.join('\n');
}

export function reportError(io: Io, error: unknown, verbose: boolean): number {
  const { exitCode, line } = describeError(error);
  io.stderr.write(`error: ${line}\n`);
  if (verbose) io.stderr.write(`${stackOf(error)}\n`);
  return exitCode;
}
