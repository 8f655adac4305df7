import type { Vocab } from '@music-transformer/vocab';
import { CliError } from './errors.js';

/**
 * The text form of a token sequence shared by `mt tokenize` (output) and `mt detokenize` (input):
 * ids or names (`note_on_60`, `time_shift_3`, `<start>`), separated by spaces, commas or new lines.
 * A JSON array of ids or names is accepted too, since `mt tokenize --json` prints one.
 */
export function parseTokenText(text: string, vocab: Vocab, source: string): Uint16Array {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  const words = body.split(/[\s,]+/).filter((w) => w !== '');
  if (words.length === 0) throw new CliError('BAD_INPUT', `no tokens in ${source}`);
  const ids = new Uint16Array(words.length);
  words.forEach((raw, index) => {
    const word = raw.replace(/^"(.*)"$/, '$1');
    let id: number;
    if (/^\d+$/.test(word)) {
      id = Number(word);
      if (id >= vocab.size) {
        throw new CliError(
          'BAD_INPUT',
          `${source}: token ${index + 1} is id ${id}, outside vocab '${vocab.config.name}' (ids 0..${vocab.size - 1})`,
        );
      }
    } else {
      try {
        id = vocab.idOf(word);
      } catch (cause) {
        throw new CliError(
          'BAD_INPUT',
          `${source}: token ${index + 1} '${word}' is not a token of vocab '${vocab.config.name}'`,
          {
            cause,
          },
        );
      }
    }
    ids[index] = id;
  });
  return ids;
}

export function formatTokens(tokens: ArrayLike<number>, vocab: Vocab, as: 'names' | 'ids'): string {
  const words = Array.from(tokens, (id) => (as === 'ids' ? String(id) : vocab.name(id)));
  return as === 'ids' ? words.join(' ') : words.join('\n');
}
