// Fuzz figures for the MIDI reader: N mutations of the real fixture files (byte damage, giant delta
// times, note pile-ups, lying lengths, slow tempos...) fed to midiToTokens. Prints one JSON line per
// figure: untyped errors (anything but MidiParseError naming the file), runs over 2 s, the slowest
// run, peak RSS of this process, and outcomes per mutation kind.
// Then note pairing: N note-ons of one pitch followed by N note-offs, N doubling (linear = time doubles).
// Usage: node bench/fuzz.mjs [--count 10000] [--seed 7]   (needs `pnpm build` of vocab and test-midi)
// The machine may be shared: times are noisy, the counts are not.
import { readFileSync } from 'node:fs';
import { MUTATION_KINDS, mutateMidi } from '@music-transformer/test-midi';
import { createRng, MidiParseError, midiToTokens } from '../dist/index.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const count = arg('count', 10000);
const seed = arg('seed', 7);
const fixtures = [
  'freedoom1-e1m8.mid',
  'freedoom2-dead.mid',
  'satie-gymnopedie-no1.mid',
  'bach-prelude-c-major-bwv846.mid',
].map((f) => new Uint8Array(readFileSync(new URL(`../test/fixtures/${f}`, import.meta.url))));

const rng = createRng(seed);
const perKind = Object.fromEntries(MUTATION_KINDS.map((k) => [k, { accepted: 0, rejected: 0, untyped: 0 }]));
const untypedSamples = [];
let untyped = 0;
let over2s = 0;
let slowest = { ms: 0, kind: '', index: -1 };
let maxTokens = 0;
const t0 = performance.now();
for (let i = 0; i < count; i++) {
  const { kind, bytes } = mutateMidi(fixtures[i % fixtures.length], rng);
  const fileName = `fuzz-${i}.mid`;
  const t = performance.now();
  try {
    const r = midiToTokens(bytes, { fileName });
    maxTokens = Math.max(maxTokens, r.tokens.length);
    perKind[kind].accepted++;
  } catch (e) {
    if (e instanceof MidiParseError && e.code === 'BAD_MIDI' && e.fileName === fileName)
      perKind[kind].rejected++;
    else {
      untyped++;
      perKind[kind].untyped++;
      if (untypedSamples.length < 5) untypedSamples.push({ index: i, kind, error: String(e).slice(0, 160) });
    }
  }
  const ms = performance.now() - t;
  if (ms > 2000) over2s++;
  if (ms > slowest.ms) slowest = { ms: Math.round(ms), kind, index: i };
}
const seconds = (performance.now() - t0) / 1000;
const context = { count, seed };
const line = (name, value, unit, extra = {}) =>
  console.log(JSON.stringify({ bench: `vocab/fuzz-${name}`, value, unit, ...context, ...extra }));
line('untyped-errors', untyped, 'runs', { samples: untypedSamples });
line('over-2s', over2s, 'runs');
line('slowest-run', slowest.ms, 'ms', { kind: slowest.kind, index: slowest.index });
line('peak-rss', Math.round(process.resourceUsage().maxRSS / 1024), 'MB');
line('max-tokens', maxTokens, 'tokens');
line('total-time', Math.round(seconds * 10) / 10, 's');
line('outcomes', count, 'runs', { perKind });

/** One track: n note-ons of middle C at one tick apart, then n note-offs (running status). */
function pileupMidi(n) {
  const body = new Uint8Array(n * 6 + 8);
  let p = 0;
  const put = (bytes) => {
    body.set(bytes, p);
    p += bytes.length;
  };
  for (let i = 0; i < n; i++) put(i === 0 ? [0, 0x90, 60, 80] : [1, 60, 80]);
  for (let i = 0; i < n; i++) put([1, 60, 0]);
  put([0, 0xff, 0x2f, 0]);
  const head = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x03, 0xc0, 0x4d, 0x54, 0x72, 0x6b];
  const out = new Uint8Array(head.length + 4 + p);
  out.set(head, 0);
  new DataView(out.buffer).setUint32(head.length, p);
  out.set(body.subarray(0, p), head.length + 4);
  return out;
}

// Note pairing: the worst case for a FIFO per pitch is all note-ons before all note-offs.
for (const n of [25000, 50000, 100000, 200000, 400000, 1000000]) {
  const bytes = pileupMidi(n);
  const t = performance.now();
  let outcome;
  try {
    outcome = `${midiToTokens(bytes, { fileName: 'pileup.mid' }).tokens.length} tokens`;
  } catch (e) {
    outcome = String(e.message ?? e).slice(0, 120);
  }
  line('pairing', Math.round(performance.now() - t), 'ms', { notes: n, fileBytes: bytes.length, outcome });
}
