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
  /** A stable machine-readable code: the CLI's or library's own (`BAD_MIDI`, `NOT_FOUND`), Node's (`EACCES`), else `FAILED`. */
  code: string;
  line: string;
}

export function describeError(error: unknown): ReportedError {
  if (error instanceof CliError) return { exitCode: error.exitCode, code: error.code, line: error.message };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const codeText = typeof code === 'string' ? code : 'FAILED';
    if (LIBRARY_ERRORS.has(error.name)) {
      // A dashboard option the user typed (e.g. a short --token) is a usage mistake, like a CliError's.
      const usage = error.name === 'DashboardError' && code === 'USAGE';
      return { exitCode: usage ? EXIT.usage : EXIT.failure, code: codeText, line: firstLine(error.message) };
    }
    // Node's own errors (ENOENT, EACCES...) carry a path: keep it in the line.
    const path = (error as { path?: unknown }).path;
    const where = typeof path === 'string' && !error.message.includes(path) ? ` (${path})` : '';
    const tag = typeof code === 'string' ? `${code}: ` : '';
    return { exitCode: EXIT.failure, code: codeText, line: `${tag}${firstLine(error.message)}${where}` };
  }
  return { exitCode: EXIT.failure, code: 'FAILED', line: String(error) };
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

/** How a failed command reports: one line on stderr, or under --json one document on stdout. */
export interface ReportOptions {
  verbose: boolean;
  json: boolean;
}

export function reportError(io: Io, error: unknown, options: ReportOptions): number {
  const { exitCode, code, line } = describeError(error);
  if (options.json) writeJsonError(io, code, line);
  else io.stderr.write(`error: ${line}\n`);
  if (options.verbose) io.stderr.write(`${stackOf(error)}\n`);
  return exitCode;
}

/**
 * Under --json a failure is still a JSON document on stdout, so a script that parses stdout reads the
 * error instead of nothing; the exit status is the same as without --json.
 */
export function writeJsonError(io: Io, code: string, message: string): void {
  io.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
}
