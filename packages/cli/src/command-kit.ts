import { type Command, Option } from 'commander';
import {
  type Interrupt,
  type InterruptSource,
  processSigint,
  type StopSource,
  stopOnSignals,
} from './interrupt.js';
import { type Io, Output } from './output.js';

/**
 * Small helpers every command uses, so that all of them share the same output flags, the same way
 * of showing the original project's multi-letter flags in help, and the same examples section.
 */
export interface CliEnv {
  io: Io;
  /** Where Ctrl-C comes from (default: the process's SIGINT); tests inject their own. */
  interrupts?: InterruptSource;
  /** What ends a command that runs until stopped (`mt live`, `mt dashboard`; default: SIGINT or SIGTERM). */
  stops?: StopSource;
}

/** The one way a command watches for Ctrl-C, so that every long command stops the same way. */
export function watchInterrupt(env: CliEnv, output: Output, notice: string): Interrupt {
  return (env.interrupts ?? processSigint)(output, notice);
}

/** The one way a command that runs until stopped (`mt live`, `mt dashboard`) watches for its end. */
export function watchStop(env: CliEnv): Interrupt {
  return (env.stops ?? stopOnSignals)();
}

export interface CommonFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export function addCommonOptions(command: Command): Command {
  return command
    .option('--json', 'print the result as one JSON document on stdout')
    .option('-q, --quiet', 'print nothing but errors (and the --json document)')
    .option('--verbose', 'show stack traces and extra details on errors');
}

export function outputFor(env: CliEnv, flags: CommonFlags): Output {
  return new Output(env.io, {
    json: flags.json === true,
    quiet: flags.quiet === true,
    verbose: flags.verbose === true,
  });
}

/**
 * An option whose help line also shows the original project's flag (`-bs, --batch-size <n>`).
 * Parsing goes through the long flag: `rewriteLegacyFlags` turns `-bs` into `--batch-size` first.
 */
export function legacyOption(alias: string, flags: string, description: string): Option {
  const option = new Option(flags, description);
  option.flags = `${alias}, ${flags}`;
  return option;
}

export function addExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}
