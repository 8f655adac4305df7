// Benchmark: generation speed of the playground in headless Chromium (the page's Web Worker, served from
// `mt play --export` by a plain file host) beside Node's in the same run, with the same model (the bundled
// default), seed and settings. Each side generates once to warm up, then once measured; the page's figure
// is the worker's own timing of the generate call; the figures are medians of alternating turns. Also reports the longest main-thread task of the page
// while it generates. Prints one JSON line per figure. Needs `pnpm build` and /usr/bin/chromium.
// Usage: node bench/play.mjs [--tokens N] [--rounds R]
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelFile } from '@music-transformer/model/formats';
import { createGenerator } from '@music-transformer/model/generation';
import { createVocab } from '@music-transformer/vocab';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const MT_BIN = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TOKENS = arg('--tokens', 1024);
/** Node and Chromium take turns, ROUNDS times each: under a shared machine's load, medians of turns. */
const ROUNDS = arg('--rounds', 3);
const SEED = 1;
if (!existsSync(CHROMIUM) || !existsSync(MT_BIN)) {
  console.error(`bench needs ${CHROMIUM} and ${MT_BIN} (run pnpm build and scripts/setup-chromium.sh)`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'mt-play-bench-'));
const site = join(work, 'site');
const exported = spawnSync(process.execPath, [MT_BIN, 'play', '--export', site, '-q'], { encoding: 'utf8' });
if (exported.status !== 0) {
  console.error(exported.stderr);
  process.exit(1);
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((req, res) => {
  const file = join(site, new URL(req.url, 'http://x').pathname);
  if (!file.startsWith(site) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/play.html`;

// The same settings on both sides: no end before an hour of music, so every run makes TOKENS tokens.
const query = `?seed=${SEED}&tokens=${TOKENS}&s=none&min=3600`;
const settings = { primer: [], maxTokens: TOKENS, seed: SEED, temperature: 1, topP: 1, minSeconds: 3600 };

// Node: the model package's generation entry, as `mt generate` runs it.
const file = readModelFile(readFileSync(join(site, 'default-model.safetensors')), { fileName: 'default' });
const generator = createGenerator(
  { hparams: file.hparams, weights: Object.fromEntries(file.weights) },
  { vocab: createVocab(file.vocab) },
);
generator.generate(settings); // warm-up
function nodeRun() {
  const start = performance.now();
  const result = generator.generate(settings);
  return (result.generated.length * 1000) / (performance.now() - start);
}

// Chromium: a shared link generates once on load (warm-up), then the Generate button measures.
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.addInitScript(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
});
await page.goto(`${url}${query}`);
const done = '[data-testid="status"][data-state="done"]';
await page.waitForSelector(done, { timeout: 600_000 });
await page.evaluate(() => {
  window.longTasks.length = 0;
});
async function browserRun() {
  // The click handler sets the state to 'generating' before click() returns, so 'done' is the new piece's.
  await page.click('[data-testid="generate"]');
  await page.waitForSelector(done, { timeout: 600_000 });
  return Number(await page.getAttribute('[data-testid="status"]', 'data-tokens-per-second'));
}
const nodeRates = [];
const browserRates = [];
for (let r = 0; r < ROUNDS; r++) {
  nodeRates.push(nodeRun());
  browserRates.push(await browserRun());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const nodeRate = median(nodeRates);
const browserRate = median(browserRates);
const browserTokens = Number(await page.getAttribute('[data-testid="status"]', 'data-tokens'));
const kernels = await page.getAttribute('[data-testid="model-status"]', 'data-kernels');
const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
const version = browser.version();
await browser.close();
server.close();
rmSync(work, { recursive: true, force: true });

const context = {
  tokens: TOKENS,
  model: 'default',
  kernels,
  chromium: version,
  node: process.version,
  loadavg1: Math.round(loadavg()[0] * 10) / 10,
};
const line = (bench, value, unit, extra = {}) =>
  console.log(JSON.stringify({ bench, value: Math.round(value * 100) / 100, unit, ...context, ...extra }));
line('web/play-chromium-generate', browserRate, 'tokens/s', {
  generated: browserTokens,
  rounds: browserRates.map(Math.round),
});
line('web/play-node-generate', nodeRate, 'tokens/s', { rounds: nodeRates.map(Math.round) });
line('web/play-chromium-over-node', browserRate / nodeRate, 'ratio', { target: 0.5 });
line('web/play-main-thread-longest-task', longest, 'ms', {
  note: 'while the worker generates; 0 = no task over 50 ms',
});
