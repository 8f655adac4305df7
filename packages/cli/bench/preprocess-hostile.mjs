// `mt preprocess` on good MIDI files alone, then with 50 hostile ones among them (mutations of the same
// files: giant delta times, pile-ups of one pitch, lying lengths, slowest tempo at one tick per beat,
// byte damage). Prints one JSON line per figure: wall time of each run, the ratio (target <= 3), peak
// RSS of each run's process with its worker threads (target < 1 GB), and whether every hostile file
// was skipped by name. Run after `pnpm build`: node bench/preprocess-hostile.mjs [--workers 2]
// The machine is shared: wall times are noisy.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Child mode: run `mt` in this process, then report its peak RSS (worker threads included).
if (process.argv[2] === '--child') {
  const { main } = await import('../dist/main.js');
  const sink = { write: () => true };
  const code = await main(process.argv.slice(3), { stdout: process.stdout, stderr: sink });
  process.stderr.write(
    `${JSON.stringify({ code, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
  );
  process.exit(code);
}

const { mutateMidi } = await import('@music-transformer/test-midi');
const { createRng, MidiParseError, midiToTokens } = await import('@music-transformer/vocab');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const workers = arg('workers', '2');
const repo = join(here, '..', '..', '..');
const sources = [
  ...readdirSync(join(repo, 'test', 'fixtures', 'midi')).map((f) =>
    join(repo, 'test', 'fixtures', 'midi', f),
  ),
  ...readdirSync(join(repo, 'packages', 'vocab', 'test', 'fixtures'))
    .filter((f) => f.endsWith('.mid'))
    .map((f) => join(repo, 'packages', 'vocab', 'test', 'fixtures', f)),
];
const work = mkdtempSync(join(tmpdir(), 'mt-bench-hostile-'));
const good = join(work, 'good');
const mixed = join(work, 'mixed');
mkdirSync(good);
mkdirSync(mixed);
// 6 copies of each real file: a corpus of some size whose preprocessing takes measurable time.
for (let copy = 0; copy < 6; copy++) {
  for (const s of sources) {
    const name = `${copy}-${s.split('/').at(-1)}`;
    copyFileSync(s, join(good, name));
    copyFileSync(s, join(mixed, name));
  }
}
const rng = createRng(11);
// Most of them giant delta times (the costly kind before limits existed), the rest broken bytes.
const kinds = [
  'giant-delta',
  'slow-tempo',
  'giant-delta',
  'chunk-length',
  'giant-delta',
  'flip',
  'truncate',
  'splice',
  'header',
];
const hostile = [];
for (let attempt = 0; hostile.length < 50; attempt++) {
  const src = new Uint8Array(readFileSync(sources[attempt % sources.length]));
  const { kind, bytes } = mutateMidi(src, rng, [kinds[attempt % kinds.length]]);
  // Only files the reader refuses count as hostile (a flipped byte may leave a readable file).
  try {
    midiToTokens(bytes, { fileName: 'probe.mid' });
    continue;
  } catch (e) {
    if (!(e instanceof MidiParseError)) throw e;
  }
  const name = `hostile-${hostile.length}-${kind}.mid`;
  writeFileSync(join(mixed, name), bytes);
  hostile.push(name);
}

function preprocess(dir) {
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      fileURLToPath(import.meta.url),
      '--child',
      'preprocess',
      dir,
      join(work, `ds-${dir.split('/').at(-1)}`),
      '1024',
      '--workers',
      workers,
      '--json',
      '--force',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const child = JSON.parse(r.stderr.trim().split('\n').at(-1));
  return {
    seconds,
    rssMB: child.maxRssMB,
    code: child.code,
    json: child.code === 0 ? JSON.parse(r.stdout) : undefined,
  };
}

const emit = (name, value, unit, extra = {}) =>
  console.log(
    JSON.stringify({
      bench: `cli/preprocess-hostile-${name}`,
      value,
      unit,
      workers: Number(workers),
      ...extra,
    }),
  );
try {
  const a = preprocess(good);
  const b = preprocess(mixed);
  const skipped = new Set((b.json?.skipped ?? []).map((s) => s.path));
  const named = hostile.filter((h) => skipped.has(h)).length;
  emit('good-seconds', Math.round(a.seconds * 100) / 100, 's', { files: sources.length * 6 });
  emit('mixed-seconds', Math.round(b.seconds * 100) / 100, 's', {
    files: sources.length * 6 + 50,
    hostile: 50,
  });
  emit('time-ratio', Math.round((b.seconds / a.seconds) * 100) / 100, 'x', { target: 3 });
  emit('good-peak-rss', a.rssMB, 'MB');
  emit('mixed-peak-rss', b.rssMB, 'MB', { target: 1024 });
  emit('hostile-skipped-by-name', named, 'files', {
    of: 50,
    exitCode: b.code,
    reasons: (b.json?.skipped ?? []).slice(0, 3),
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
