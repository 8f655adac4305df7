import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { midiToTokens, type Vocab } from '@music-transformer/vocab';

/**
 * Evaluation rows from a folder of MIDI files: each piece is tokenized with the model's vocabulary and
 * cut into consecutive, non-overlapping rows of `length` tokens: `<start>` + a chunk (+ `<end>` after
 * the last chunk), right-padded. Unlike training windows there is no sampling or augmentation, so
 * every token of every piece is scored exactly once.
 */
export async function findMidiFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile() && /\.midi?$/i.test(entry.name)) out.push(path);
    }
  };
  await walk(dir);
  return out.sort();
}

export function piecesToRows(
  pieces: readonly ArrayLike<number>[],
  vocab: Vocab,
  length: number,
): Uint16Array {
  const body = length - 1; // tokens after <start> in a row
  const rows: number[][] = [];
  for (const tokens of pieces) {
    const all = [...Array.from(tokens), vocab.end];
    for (let at = 0; at < all.length; at += body) rows.push([vocab.start, ...all.slice(at, at + body)]);
  }
  const out = new Uint16Array(rows.length * length).fill(vocab.pad);
  for (const [i, row] of rows.entries()) out.set(row, i * length);
  return out;
}

export interface FolderRows {
  rows: Uint16Array;
  files: number;
  skipped: { path: string; reason: string }[];
}

export async function rowsFromFolder(dir: string, vocab: Vocab, length: number): Promise<FolderRows> {
  const pieces: Uint16Array[] = [];
  const skipped: FolderRows['skipped'] = [];
  for (const path of await findMidiFiles(dir)) {
    try {
      const tokens = midiToTokens(new Uint8Array(await readFile(path)), {
        fileName: relative(dir, path),
        vocab,
      }).tokens;
      if (tokens.length === 0) skipped.push({ path, reason: 'no notes' });
      else pieces.push(tokens);
    } catch (error) {
      skipped.push({ path, reason: (error as Error).message });
    }
  }
  return { rows: piecesToRows(pieces, vocab, length), files: pieces.length, skipped };
}
