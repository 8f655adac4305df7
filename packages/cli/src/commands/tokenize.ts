import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv } from '../command-kit.js';
import { addMidiLimitOptions } from '../midi-limits-option.js';
import { addVocabOptions } from '../vocab-options.js';
import { runTokenize, type TokenizeFlags } from './run-tokenize.js';

/** `mt tokenize <file.mid>`: the vocabulary on its own, for people who only want the events. */
export function registerTokenize(program: Command, env: CliEnv): void {
  const command = program
    .command('tokenize')
    .description('print the token events of a MIDI file (names one per line, or ids)')
    .argument('<file.mid>', 'MIDI file to read')
    .addOption(
      new Option('--as <form>', 'print token names or numeric ids')
        .choices(['names', 'ids'])
        .default('names'),
    )
    .option('--drums', 'keep General MIDI drums (channel 10), dropped by default')
    .option('--start-end', 'wrap the tokens in <start> ... <end> as training rows are');
  addVocabOptions(command);
  addMidiLimitOptions(command);
  addCommonOptions(command);
  addExamples(command, [
    'mt tokenize song.mid | head',
    'mt tokenize song.mid --as ids > song.tokens',
    'mt tokenize song.mid --json --preset performance-rnn',
  ]);
  command.action(async (file: string, flags: TokenizeFlags) => {
    await runTokenize(file, flags, env);
  });
}
