// Benchmark: a run directory of 100,000 train records (plus validation, system and
// checkpoint records) served by the built `mt dashboard`, opened in Debian's Chromium. Prints one JSON
// line per figure. Needs `pnpm build` (apps/web and packages/cli) and /usr/bin/chromium.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const TRAIN_RECORDS = 100_000;
const TARGET_MS = 2000;
const CHROMIUM = '/usr/bin/chromium';
const MT_BIN = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url));

if (
  !existsSync(CHROMIUM) ||
  !existsSync(MT_BIN) ||
  !existsSync(new URL('../dist/index.html', import.meta.url))
) {
  console.error(
    `bench needs ${CHROMIUM}, ${MT_BIN} and apps/web/dist (run pnpm build and scripts/setup-chromium.sh)`,
  );
  process.exit(1);
}

function writeRun(dir) {
  mkdirSync(join(dir, 'samples'), { recursive: true });
  const created = Date.now() - TRAIN_RECORDS * 1000;
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      schema: 1,
      name: 'big',
      created: new Date(created).toISOString(),
      hparams: { d_model: 256 },
      training: {},
      dataset: {},
    }),
  );
  const lines = [
    JSON.stringify({
      v: 1,
      type: 'status',
      time: new Date(created).toISOString(),
      status: 'finished',
      pid: 1,
    }),
  ];
  let other = 1;
  for (let step = 1; step <= TRAIN_RECORDS; step++) {
    const time = new Date(created + step * 1000).toISOString();
    const loss = 4 * Math.exp(-step / 20_000) + 1.8 + 0.1 * Math.sin(step / 7);
    lines.push(
      JSON.stringify({
        v: 1,
        type: 'train',
        time,
        step,
        epoch: Math.floor(step / 5000),
        loss,
        accuracy: 1 - loss / 6,
        perplexity: Math.exp(loss),
        lr: 1e-3 / Math.sqrt(1 + step / 4000),
        grad_norm: 0.8 + Math.random() * 0.4,
        tokens_per_s: 1700 + Math.random() * 100,
        elapsed_s: step,
        eta_s: TRAIN_RECORDS - step,
      }),
    );
    if (step % 100 === 0) {
      lines.push(
        JSON.stringify({
          v: 1,
          type: 'validation',
          time,
          step,
          epoch: Math.floor(step / 5000),
          val_loss: loss + 0.1,
          val_accuracy: 0.4,
          val_perplexity: Math.exp(loss + 0.1),
        }),
      );
      other++;
    }
    if (step % 50 === 0) {
      lines.push(JSON.stringify({ v: 1, type: 'system', time, cpu_percent: 98, rss_bytes: 7e8 }));
      other++;
    }
    if (step % 1000 === 0) {
      lines.push(
        JSON.stringify({
          v: 1,
          type: 'checkpoint',
          time,
          step,
          epoch: 0,
          path: `checkpoints/step-${step}.safetensors`,
          best: false,
        }),
      );
      other++;
    }
  }
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  return other;
}

function startDashboard(logdir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [MT_BIN, 'dashboard', '--logdir', logdir, '--port', '0', '--json'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, url: JSON.parse(line).url });
    });
    child.on('exit', (code) => reject(new Error(`mt dashboard exited ${code}`)));
  });
}

async function timeToFullChart(context, url) {
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="chart-loss"]')?.getAttribute('data-points') === String(n),
    TRAIN_RECORDS,
    { timeout: 60_000, polling: 20 },
  );
  const ms = performance.now() - t0;
  await page.close();
  return ms;
}

const work = mkdtempSync(join(tmpdir(), 'mt-web-bench-'));
const logdir = join(work, 'runs');
const otherRecords = writeRun(join(logdir, 'big'));
const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1400, height: 1000 },
});
const context_ = {
  records: TRAIN_RECORDS + otherRecords,
  train_records: TRAIN_RECORDS,
  note: 'shared 2-core machine, noisy',
};
try {
  const t0 = performance.now();
  const { child, url } = await startDashboard(logdir);
  try {
    const cold = await timeToFullChart(context, url);
    const coldTotal = performance.now() - t0;
    console.log(
      JSON.stringify({
        bench: 'web/dashboard-start-to-full-chart-100k',
        value: Math.round(coldTotal),
        unit: 'ms',
        ...context_,
      }),
    );
    console.log(
      JSON.stringify({
        bench: 'web/first-page-load-100k',
        value: Math.round(cold),
        unit: 'ms',
        target_ms: TARGET_MS,
        ...context_,
      }),
    );
    const warm = [];
    for (let i = 0; i < 3; i++) warm.push(await timeToFullChart(context, url));
    warm.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        bench: 'web/page-load-100k',
        value: Math.round(warm[1]),
        unit: 'ms',
        stat: 'median of 3',
        target_ms: TARGET_MS,
        ...context_,
      }),
    );
  } finally {
    child.kill('SIGTERM');
  }
} finally {
  await context.close();
  rmSync(work, { recursive: true, force: true });
}
