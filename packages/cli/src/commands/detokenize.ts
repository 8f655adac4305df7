import type { Command } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, legacyOption } from '../command-kit.js';
import { parseFloatArg } from '../values.js';
import { addVocabOptions } from '../vocab-options.js';
import { type DetokenizeFlags, runDetokenize } from './run-detokenize.js';

export { DETOKENIZE_LEGACY_FLAGS } from './run-detokenize.js';

/** `mt detokenize <tokens> <out.mid>`: token names or ids (a file, or `-` for stdin) back to MIDI. */
export function registerDetokenize(program: Command, env: CliEnv): void {
  const command = program
    .command('detokenize')
    .description('write a MIDI file from token names or ids (as printed by `mt tokenize`)')
    .argument(
      '<tokens>',
      "text file of token names or ids separated by spaces, commas or lines; '-' reads stdin",
    )
    .argument('<out.mid>', 'MIDI file to write')
    .addOption(
      legacyOption('-tm', '--tempo <bpm>', 'tempo written to the file (timing stays in real milliseconds)')
        .argParser(parseFloatArg({ min: 2, max: 1000 }))
        .default(120),
    )
    .option('-f, --force', 'overwrite <out.mid> if it exists');
  addVocabOptions(command);
  addCommonOptions(command);
  addExamples(command, [
    'mt tokenize song.mid > song.txt && mt detokenize song.txt copy.mid',
    "echo '<start> set_velocity_20 note_on_60 time_shift_125 note_off_60' | mt detokenize - c4.mid",
  ]);
  command.action(async (source: string, out: string, flags: DetokenizeFlags) => {
    await runDetokenize(source, out, flags, env);
  });
}
