import { basename } from 'node:path';
import { midiToTokens } from '@music-transformer/vocab';
import { type Command, Option } from 'commander';
import { addCommonOptions, addExamples, type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { readMidi } from '../files.js';
import {
  addMidiLimitOptions,
  type MidiLimitFlags,
  midiLimitsFromFlags,
  withLimitHint,
} from '../midi-limits-option.js';
import { formatTokens } from '../token-text.js';
import { addVocabOptions, type VocabFlags, vocabFromFlags } from '../vocab-options.js';

interface TokenizeFlags extends CommonFlags, VocabFlags, MidiLimitFlags {
  as: 'names' | 'ids';
  drums?: boolean;
  startEnd?: boolean;
}

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
    const output = outputFor(env, flags);
    const vocab = vocabFromFlags(flags);
    const bytes = await readMidi(file);
    const result = withLimitHint(() =>
      midiToTokens(bytes, {
        fileName: basename(file),
        vocab,
        includeDrums: flags.drums === true,
        limits: midiLimitsFromFlags(flags),
      }),
    );
    const tokens = flags.startEnd
      ? Uint16Array.from([vocab.start, ...result.tokens, vocab.end])
      : result.tokens;
    if (flags.json) {
      output.result(
        {
          file,
          vocab: vocab.config,
          tokens,
          names: Array.from(tokens, (id) => vocab.name(id)),
          report: result.report,
        },
        () => [],
      );
      return;
    }
    output.data(formatTokens(tokens, vocab, flags.as));
    output.note(
      `${file}: ${tokens.length} tokens, ${result.report.notesEncoded} notes (vocab '${vocab.config.name}')`,
    );
  });
}
