#!/usr/bin/env node
// MIDI -> tokens -> MIDI on a bundled example.
// Usage: node examples/round-trip.mjs OUT.mid [IN.mid]   (IN defaults to a bundled Satie piece)
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createVocab, midiToTokens, tokensToMidiWithStats } from '../dist/index.js';

const [out, input] = process.argv.slice(2);
if (!out) {
  console.error('usage: node examples/round-trip.mjs OUT.mid [IN.mid]');
  process.exit(2);
}
const inPath = input ?? new URL('../test/fixtures/satie-gymnopedie-no1.mid', import.meta.url);
const vocab = createVocab(); // `seed` preset: the original project's 416 tokens, 8 ms steps
const { tokens, report } = midiToTokens(new Uint8Array(readFileSync(inPath)), {
  fileName: basename(String(inPath)),
});
const { bytes, stats } = tokensToMidiWithStats(tokens, { vocab, bpm: 120 });
writeFileSync(out, bytes);

console.log(
  `${report.fileName}: ${report.notesInFile} notes in ${report.tracks} tracks, ${report.durationSeconds.toFixed(1)} s`,
);
console.log(
  `encoded ${report.notesEncoded} notes (${report.duplicatesMerged} doubled notes merged) as ${tokens.length} tokens (vocab '${vocab.config.name}', ${vocab.size} ids)`,
);
const skipped = report.excludedChannels.reduce((s, c) => s + c.notes, 0);
console.log(
  `not encoded: ${skipped} drum notes, ${report.outOfRange.notes} out of range; sustain lengthened ${report.sustainExtended}`,
);
console.log(`first tokens: ${Array.from(tokens.subarray(0, 8), (id) => vocab.name(id)).join(' ')}`);
console.log(`wrote ${out} (${bytes.length} bytes; ${stats.capped} notes capped at 5 s)`);
