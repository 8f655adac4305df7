import { readFile } from 'node:fs/promises';
import { tokensToMidiWithStats } from '@music-transformer/vocab';
import { type CliEnv, type CommonFlags, outputFor } from '../command-kit.js';
import { CliError } from '../errors.js';
import { prepareDestination, requireFile, writeOutput } from '../files.js';
import { parseTokenText } from '../token-text.js';
import { type VocabFlags, vocabFromFlags } from '../vocab-options.js';

export interface DetokenizeFlags extends CommonFlags, VocabFlags {
  tempo: number;
  force?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const DETOKENIZE_LEGACY_FLAGS = { '-tm': '--tempo' } as const;

/** `mt detokenize`'s work, apart from its flag declarations so that tests can call it directly. */
export async function runDetokenize(
  source: string,
  out: string,
  flags: DetokenizeFlags,
  env: CliEnv,
): Promise<void> {
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
}
