import { readFile } from 'node:fs/promises';
import { tokensToMidiWithStats } from '@music-transformer/vocab';
import type { Command } from 'commander';
import {
  addCommonOptions,
  addExamples,
  type CliEnv,
  type CommonFlags,
  legacyOption,
  outputFor,
} from '../command-kit.js';
import { CliError } from '../errors.js';
import { prepareDestination, requireFile, writeOutput } from '../files.js';
import { parseTokenText } from '../token-text.js';
import { parseFloatArg } from '../values.js';
import { addVocabOptions, type VocabFlags, vocabFromFlags } from '../vocab-options.js';

interface DetokenizeFlags extends CommonFlags, VocabFlags {
  tempo: number;
  force?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const DETOKENIZE_LEGACY_FLAGS = { '-tm': '--tempo' } as const;

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
    const output = outputFor(env, flags);
    const vocab = vocabFromFlags(flags);
    let text: string;
    if (source === '-') text = await readStdin();
    else {
      await requireFile(source, 'token file');
      text = await readFile(source, 'utf8');
    }
    const tokens = parseTokenText(text, vocab, source === '-' ? 'stdin' : source);
    const target = await prepareDestination(out, { force: flags.force === true, what: 'output file' });
    const { bytes, stats } = tokensToMidiWithStats(tokens, { vocab, bpm: flags.tempo });
    if (bytes.length === 0) throw new CliError('FAILED', `no MIDI could be written from ${source}`);
    await writeOutput(target, bytes, 'output file');
    output.result({ out: target, tokens: tokens.length, stats }, () => [
      `wrote ${out} (${tokens.length} tokens${stats.orphanNoteOffs > 0 ? `, ${stats.orphanNoteOffs} orphan note-offs ignored` : ''})`,
    ]);
  });
}
