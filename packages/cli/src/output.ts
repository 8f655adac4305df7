/**
 * Where a command's words go. Results (the data a command exists to print, or its summary) go to
 * stdout; progress and notes go to stderr so that `mt tokenize x.mid > events.txt` and `--json`
 * stay clean. `--json` replaces the human summary by one JSON document; `--quiet` drops notes and
 * progress (errors are still printed).
 */
export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Io {
  stdout: Stream;
  stderr: Stream;
}

export interface OutputFlags {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
}

/**
 * A line redrawn in place at the bottom of the terminal (a progress bar). Messages are written above
 * it: the line is cleared first and redrawn after, so a message never lands on the end of a half-drawn
 * bar and the scrollback holds whole lines only.
 */
export interface LiveLine {
  clear(): void;
  redraw(): void;
}

export class Output {
  private liveLine: LiveLine | undefined;

  constructor(
    readonly io: Io,
    readonly flags: OutputFlags,
  ) {}

  /** Routes stderr messages above `line` until the returned function detaches it. */
  attachLiveLine(line: LiveLine): () => void {
    this.liveLine = line;
    return () => {
      if (this.liveLine === line) this.liveLine = undefined;
    };
  }

  /** Progress bars are drawn only on an interactive terminal and never in quiet or JSON mode. */
  get interactive(): boolean {
    return this.io.stderr.isTTY === true && this.io.stdout.isTTY === true && !this.flags.quiet;
  }

  /** A note for a human (to stderr), dropped by --quiet and --json. */
  note(line: string): void {
    if (!this.flags.quiet && !this.flags.json) this.writeAboveLiveLine(`${line}\n`);
  }

  /**
   * What the program is doing about something the user did (an interrupt being handled, a server's
   * address): on stderr unless --quiet, and kept with --json, since stderr leaves the JSON alone.
   */
  status(line: string): void {
    if (!this.flags.quiet) this.writeAboveLiveLine(`${line}\n`);
  }

  /** A warning: always shown on stderr unless --quiet. */
  warn(line: string): void {
    if (!this.flags.quiet) this.writeAboveLiveLine(`warning: ${line}\n`);
  }

  private writeAboveLiveLine(text: string): void {
    const live = this.liveLine;
    live?.clear();
    this.io.stderr.write(text);
    live?.redraw();
  }

  /** Raw data on stdout (token lists, ...): printed whatever the flags. */
  data(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /**
   * The command's result: a JSON document under --json, otherwise the human lines (dropped by
   * --quiet, since a quiet run is judged by its exit status and files).
   */
  result(value: unknown, human: () => readonly string[]): void {
    if (this.flags.json) this.io.stdout.write(`${JSON.stringify(value, jsonReplacer)}\n`);
    else if (!this.flags.quiet) for (const line of human()) this.io.stdout.write(`${line}\n`);
  }
}

/** Typed arrays and bigints are not JSON; print them as plain arrays and numbers. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  return value;
}
