import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import type { CliEnv } from './command-kit.js';
import { EXIT } from './errors.js';
import { type LegacyFlagTable, rewriteForCommand } from './legacy-flags.js';
import type { Io } from './output.js';
import { isClosedPipe } from './pipe-guard.js';
import { reportError, writeJsonError } from './report-error.js';

export interface CommandModule {
  /** Registers the subcommand on the program. */
  register(program: Command, env: CliEnv): void;
  /** The original project's multi-letter flags of this command, keyed by subcommand name. */
  legacyFlags?: Readonly<Record<string, LegacyFlagTable>>;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Builds the commander program; separate from `run` so tests can inspect help texts. `onParseError`
 * takes commander's parse-error text instead of stderr (used for --json).
 */
export function buildProgram(
  env: CliEnv,
  modules: readonly CommandModule[],
  onParseError?: (text: string) => void,
): Command {
  const program = new Command('music-transformer')
    .description('Music Transformer (Huang et al. 2018) on TensorFlow.js: preprocess MIDI, train, generate.')
    .version(packageVersion(), '-V, --version')
    .usage('<command> [options]')
    .showSuggestionAfterError(true)
    .exitOverride()
    // List subcommands by their usage line, so `generate [options] [model] <out.mid>` reads as in its help.
    .configureHelp({ subcommandTerm: (command) => `${command.name()} ${command.usage()}` })
    .configureOutput({
      writeOut: (text) => env.io.stdout.write(text),
      writeErr: (text) => env.io.stderr.write(text),
      // Keep each parse error on one line: commander puts its "(Did you mean ...?)" on a second one.
      outputError: (text, write) => {
        const line = text.replace(/\n(?=\(Did you mean)/, ' ');
        if (onParseError) onParseError(line);
        else write(line);
      },
    });
  program.addHelpText(
    'after',
    '\nAlias: mt. Run `mt <command> --help` for the options and examples of each command.\n' +
      'Exit status: 0 success, 1 failure, 2 usage error.\n',
  );
  for (const module of modules) module.register(program, env);
  return program;
}

/**
 * Parses `args` (without `node` and the script path), runs the command and returns the exit status.
 * Nothing here calls process.exit: the binary sets process.exitCode, tests read the return value.
 */
export async function runCli(
  args: readonly string[],
  env: CliEnv,
  modules: readonly CommandModule[],
): Promise<number> {
  const tables = Object.assign({}, ...modules.map((m) => m.legacyFlags ?? {})) as Record<
    string,
    LegacyFlagTable
  >;
  const json = args.includes('--json');
  let parseError = '';
  const program = buildProgram(
    env,
    modules,
    json
      ? (text) => {
          parseError += text;
        }
      : undefined,
  );
  try {
    await program.parseAsync(rewriteForCommand(args, tables), { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successes; every parse error is a usage error.
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code);
      if (ok && error.exitCode === 0) return EXIT.ok;
      if (json) writeJsonError(env.io, 'USAGE', parseError.trim().replace(/^error: /, '') || error.message);
      return EXIT.usage;
    }
    // A stream that throws EPIPE itself (the reader closed the pipe): nothing is wrong, and nothing
    // more can be written there.
    if (isClosedPipe(error)) return EXIT.ok;
    return reportError(env.io, error, { json, verbose: args.includes('--verbose') });
  }
}

export type { Io };
