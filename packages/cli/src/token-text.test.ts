import { createVocab } from '@music-transformer/vocab';
import { describe, expect, it } from 'vitest';
import { formatTokens, parseTokenText } from './token-text.js';

const vocab = createVocab();

describe('token text', () => {
  it('reads names, ids and JSON arrays, and round-trips what tokenize prints', () => {
    const ids = [
      vocab.start,
      vocab.velocity(20),
      vocab.noteOn(60),
      vocab.timeShift(3),
      vocab.noteOff(60),
      vocab.end,
    ];
    expect(Array.from(parseTokenText(formatTokens(ids, vocab, 'names'), vocab, 'x'))).toEqual(ids);
    expect(Array.from(parseTokenText(formatTokens(ids, vocab, 'ids'), vocab, 'x'))).toEqual(ids);
    expect(Array.from(parseTokenText(JSON.stringify(ids), vocab, 'x'))).toEqual(ids);
    expect(Array.from(parseTokenText('["note_on_60", "note_off_60"]', vocab, 'x'))).toEqual([
      vocab.noteOn(60),
      vocab.noteOff(60),
    ]);
  });

  it('names the source and position of a bad token', () => {
    expect(() => parseTokenText('note_on_60 note_on_999', vocab, 'song.txt')).toThrow(
      "song.txt: token 2 'note_on_999' is not a token of vocab 'seed'",
    );
    expect(() => parseTokenText('1 416', vocab, 'stdin')).toThrow(
      "stdin: token 2 is id 416, outside vocab 'seed' (ids 0..415)",
    );
    expect(() => parseTokenText(' \n', vocab, 'empty.txt')).toThrow('no tokens in empty.txt');
  });
});
