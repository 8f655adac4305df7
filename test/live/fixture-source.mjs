// A token source for the generation worker that replays a real piano MIDI file (the fixtures are
// public-domain Mutopia pieces), looping. The transport tests use it to get piano-density traffic
// (several notes per second, chords) through real ports; the model's own speed is measured elsewhere.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createVocab, midiToTokens } from '@music-transformer/vocab';

export function createTokenSource({ file }) {
  const vocab = createVocab();
  const piece = Array.from(
    midiToTokens(new Uint8Array(readFileSync(file)), { fileName: basename(file), vocab }).tokens,
  );
  let i = 0;
  let tokens = [vocab.start];
  return {
    next() {
      const id = piece[i % piece.length];
      i++;
      tokens.push(id);
      return id;
    },
    setSampling() {},
    reset(primer) {
      tokens = [...primer];
      i = 0;
    },
    get tokens() {
      return tokens;
    },
  };
}
