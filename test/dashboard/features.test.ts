import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstJsonLine, mtBackground, stop } from './processes.js';
import {
  appendLines,
  countTrainRecords,
  midiFile,
  record,
  trainRecord,
  writeConfig,
} from './run-fixtures.js';

/**
 * The dashboard's chart and table controls in Chromium, on run directories written record by record
 * in the trainer's format (run-fixtures.ts) so each case is exact: 53 checkpoints, a single `system`
 * record, two runs whose hparams differ in one key. The built `mt dashboard` serves them.
 */
const CHROMIUM = '/usr/bin/chromium';
const SLOW = { timeout: 15_000 };
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];

type Rgba = [number, number, number, number];

/** A run of `steps` train records (1 s apart), validation every 5 steps, a checkpoint every `ckptEvery`. */
function writeRun(
  logdir: string,
  name: string,
  opts: { steps: number; ckptEvery: number; systemRecords: number; dModel: number; startOffsetS: number },
): void {
  const dir = join(logdir, name);
  writeConfig(dir, name);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  config.hparams.d_model = opts.dModel;
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const start = Date.now() - (opts.startOffsetS + opts.steps) * 1000;
  const at = (i: number) => new Date(start + i * 1000);
  const lines = [record('status', { status: 'running', pid: 999_999 }, at(0))];
  let systems = 0;
  const checkpointSteps: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    lines.push(trainRecord(s, at(s)));
    if (s % 5 === 0) {
      lines.push(
        record(
          'validation',
          { step: s, epoch: 0, val_loss: 4 * Math.exp(-s / 50) + 1, val_accuracy: 0.3, val_perplexity: 9 },
          at(s),
        ),
      );
    }
    if (s % 5 === 0 && systems < opts.systemRecords) {
      systems++;
      lines.push(record('system', { cpu_percent: 97, rss_bytes: 600 * 2 ** 20 }, at(s)));
    }
    if (s % opts.ckptEvery === 0) checkpointSteps.push(s);
  }
  for (const s of checkpointSteps) {
    const best = s === checkpointSteps.at(-1);
    lines.push(
      record('checkpoint', { step: s, epoch: 0, path: `checkpoints/step-${s}.safetensors`, best }, at(s)),
    );
  }
  const notes = [60, 64, 67, 72, 76].map((pitch, i) => ({ pitch, start: i * 480, length: 400 }));
  writeFileSync(join(dir, 'samples', 'gen.mid'), midiFile(notes));
  lines.push(record('status', { status: 'finished', pid: 999_999 }, at(opts.steps)));
  appendLines(dir, lines);
}

describe.skipIf(!existsSync(CHROMIUM))('dashboard controls in Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'mt-dash-features-'));
  const logdir = join(work, 'runs');
  let dashboard: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let url: string;
  const pageErrors: string[] = [];

  const attr = (selector: string, name: string) => page.getAttribute(selector, name);
  const swatch = (run: string) => attr(`[data-testid="run-row-${run}"] .swatch`, 'data-color');
  /** The colour uPlot gave a legend entry (its marker's border), as the page computes it. */
  const legendColor = (chart: string, label: string) =>
    page.evaluate(
      ([chart, label]) => {
        const rows = document.querySelectorAll(`[data-testid="chart-${chart}"] .u-legend tr`);
        for (const row of Array.from(rows)) {
          if (row.querySelector('.u-label')?.textContent === label) {
            return getComputedStyle(row.querySelector('.u-marker') as Element).borderColor;
          }
        }
        return null;
      },
      [chart, label],
    );
  const rgb = (hex: string) => {
    const n = Number.parseInt(hex.slice(1), 16);
    return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
  };
  /** Pixels of a chart's plot canvas, in canvas pixels. */
  const pixels = (chart: string, points: [number, number][]) =>
    page.evaluate(
      ([chart, points]) => {
        const canvas = document.querySelector(`[data-testid="chart-${chart}"] canvas`) as HTMLCanvasElement;
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
        return (points as [number, number][]).map(([x, y]) => [...ctx.getImageData(x, y, 1, 1).data]);
      },
      [chart, points] as const,
    ) as Promise<Rgba[]>;

  beforeAll(async () => {
    writeRun(logdir, 'ckpt-many', {
      steps: 106,
      ckptEvery: 2,
      systemRecords: 100,
      dModel: 32,
      startOffsetS: 500,
    });
    writeRun(logdir, 'one-system', {
      steps: 12,
      ckptEvery: 6,
      systemRecords: 1,
      dModel: 64,
      startOffsetS: 0,
    });
    dashboard = mtBackground(['dashboard', '--logdir', 'runs', '--port', '0', '--json'], work);
    url = (await firstJsonLine<{ url: string }>(dashboard)).url;
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mt-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid="run-row-one-system"]');
  });

  afterAll(async () => {
    await context?.close();
    await stop(dashboard);
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps each run in one colour whatever is selected, and after a reload', async () => {
    await page.click('[data-testid="run-row-ckpt-many"]');
    await page.click('[data-testid="compare-one-system"]');
    const many = (await swatch('ckpt-many')) as string;
    const one = (await swatch('one-system')) as string;
    expect(many).toMatch(/^#[0-9A-F]{6}$/);
    expect(one).toMatch(/^#[0-9A-F]{6}$/);
    expect(many).not.toBe(one);
    await expect.poll(() => legendColor('loss', 'ckpt-many · loss'), SLOW).toBe(rgb(many));
    expect(await legendColor('loss', 'one-system · loss')).toBe(rgb(one));

    // The other run becomes the selected (first) one: colours stay with the runs.
    await page.click('[data-testid="run-row-one-system"]');
    await page.click('[data-testid="compare-ckpt-many"]');
    await expect.poll(() => attr('#details', 'data-run'), SLOW).toBe('one-system');
    await expect.poll(() => legendColor('loss', 'ckpt-many · loss'), SLOW).toBe(rgb(many));
    expect(await legendColor('loss', 'one-system · loss')).toBe(rgb(one));
    expect(await swatch('one-system')).toBe(one);
    expect(await swatch('ckpt-many')).toBe(many);

    await page.reload();
    await page.waitForSelector('[data-testid="run-row-one-system"]');
    await page.click('[data-testid="run-row-one-system"]');
    await expect.poll(() => swatch('one-system'), SLOW).toBe(one);
    await expect.poll(() => legendColor('loss', 'one-system · loss'), SLOW).toBe(rgb(one));
  });

  it('draws 53 checkpoints as ticks on the x axis, not lines across the plot', async () => {
    await page.click('[data-testid="run-row-ckpt-many"]');
    await expect.poll(() => attr('[data-testid="chart-loss"]', 'data-points'), SLOW).toBe('106');
    const ticks = async () =>
      JSON.parse((await attr('[data-testid="chart-loss"]', 'data-checkpoint-ticks')) ?? '[]') as {
        x: number;
        best: boolean;
      }[];
    await expect.poll(async () => (await ticks()).length, SLOW).toBe(53);
    const drawn = await ticks();
    expect(drawn.filter((t) => t.best)).toHaveLength(1);
    // Where the plot area is: uPlot's `over` element covers it exactly.
    const box = await page.evaluate(() => {
      const over = document.querySelector('[data-testid="chart-loss"] .u-over') as HTMLElement;
      return { left: over.offsetLeft, top: over.offsetTop, height: over.offsetHeight };
    });
    const periodic = drawn.filter((t) => !t.best).map((t) => Math.round(box.left + t.x));
    const bottom = box.top + box.height - 2;
    const high = box.top + Math.round(box.height * 0.15);
    const atAxis = await pixels(
      'loss',
      periodic.map((x) => [x, bottom] as [number, number]),
    );
    const above = await pixels(
      'loss',
      periodic.map((x) => [x, high] as [number, number]),
    );
    // A grey tick at the axis for every checkpoint; nothing of it near the top of the plot.
    const grey = ([r, g, b, a]: Rgba) => a > 100 && Math.abs(r - g) < 12 && Math.abs(g - b) < 12 && r < 140;
    expect(atAxis.filter(grey)).toHaveLength(periodic.length);
    expect(above.filter(grey)).toHaveLength(0);
  });

  it('draws a run with a single system record as a visible point', async () => {
    await page.click('[data-testid="run-row-one-system"]');
    if (await page.isChecked('[data-testid="compare-ckpt-many"]'))
      await page.click('[data-testid="compare-ckpt-many"]');
    // Both are polled: the other run's series can still be drawn alone until this run's history arrives.
    await expect.poll(() => attr('[data-testid="chart-cpu"]', 'data-lines'), SLOW).toBe('1');
    await expect.poll(() => attr('[data-testid="chart-cpu"]', 'data-points'), SLOW).toBe('1');
    const color = (await swatch('one-system')) as string;
    const n = Number.parseInt(color.slice(1), 16);
    const target = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    const coloured = await page.evaluate((target) => {
      const canvas = document.querySelector('[data-testid="chart-cpu"] canvas') as HTMLCanvasElement;
      const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
        0,
        0,
        canvas.width,
        canvas.height,
      );
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d =
          Math.abs((data[i] as number) - (target[0] as number)) +
          Math.abs((data[i + 1] as number) - (target[1] as number)) +
          Math.abs((data[i + 2] as number) - (target[2] as number));
        if ((data[i + 3] as number) > 200 && d < 30) count++;
      }
      return count;
    }, target);
    // A 6 px dot is about 28 pixels; a one-point line draws none.
    expect(coloured).toBeGreaterThan(10);
  });

  it('switches a chart to a log y axis and keeps the choice after a reload', async () => {
    await page.click('[data-testid="run-row-ckpt-many"]');
    await expect.poll(() => attr('[data-testid="chart-loss"]', 'data-points'), SLOW).toBe('106');
    const ticks = async () =>
      JSON.parse((await attr('[data-testid="chart-loss"]', 'data-y-ticks')) ?? '[]') as [number, number][];
    /** Pixels per unit of value between successive ticks: constant on a linear axis. */
    const spacing = (t: [number, number][]) =>
      t
        .slice(1)
        .map(([v, y], i) => ((t[i] as [number, number])[1] - y) / (v - (t[i] as [number, number])[0]));
    const linear = spacing(await ticks());
    expect(linear.length).toBeGreaterThan(1);
    for (const s of linear) expect(s).toBeCloseTo(linear[0] as number, 3);

    await page.check('[data-testid="log-loss"]');
    await expect.poll(() => attr('[data-testid="chart-loss"]', 'data-log'), SLOW).toBe('true');
    await expect.poll(async () => JSON.stringify(await ticks()), SLOW).not.toBe(JSON.stringify([]));
    const log = await ticks();
    // Equal ratios of value are equal distances: pixels per decade is the same between any two ticks.
    const perDecade = log
      .slice(1)
      .map(
        ([v, y], i) =>
          ((log[i] as [number, number])[1] - y) / Math.log10(v / (log[i] as [number, number])[0]),
      );
    expect(perDecade.length).toBeGreaterThan(1);
    for (const d of perDecade) expect(d).toBeCloseTo(perDecade[0] as number, 3);
    // The other charts stay linear.
    expect(await attr('[data-testid="chart-accuracy"]', 'data-log')).toBe('false');

    await page.reload();
    await page.waitForSelector('[data-testid="run-row-ckpt-many"]');
    expect(await page.isChecked('[data-testid="log-loss"]')).toBe(true);
    await page.uncheck('[data-testid="log-loss"]');
    expect(await attr('[data-testid="chart-loss"]', 'data-log')).toBe('false');
  });

  it('exports the selected run as CSV and JSON holding every record of metrics.jsonl', async () => {
    await page.click('[data-testid="run-row-ckpt-many"]');
    await expect.poll(() => attr('[data-testid="chart-loss"]', 'data-points'), SLOW).toBe('106');
    const file = readFileSync(join(logdir, 'ckpt-many', 'metrics.jsonl'), 'utf8');
    const records = file
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const train = records.filter((r) => r.type === 'train');
    expect(train).toHaveLength(countTrainRecords(file));

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-csv"]'),
    ]);
    expect(csvDownload.suggestedFilename()).toBe('ckpt-many.metrics.csv');
    const csv = readFileSync((await csvDownload.path()) as string, 'utf8')
      .trimEnd()
      .split('\r\n');
    const header = (csv[0] as string).split(',');
    const rows = csv.slice(1).map((l) => Object.fromEntries(l.split(',').map((c, i) => [header[i], c])));
    const csvTrain = rows.filter((r) => r.type === 'train');
    expect(csvTrain).toHaveLength(train.length);
    expect(rows.filter((r) => r.type === 'validation')).toHaveLength(
      records.filter((r) => r.type === 'validation').length,
    );
    expect(rows.filter((r) => r.type === 'checkpoint')).toHaveLength(53);
    csvTrain.forEach((row, i) => {
      const rec = train[i] as Record<string, number | string>;
      expect(Number(row.step)).toBe(rec.step);
      expect(row.time).toBe(rec.time);
      // The page holds 7 significant digits (float32 precision).
      expect(Number(row.loss)).toBeCloseTo(rec.loss as number, 5);
      expect(Number(row.lr)).toBeCloseTo(rec.lr as number, 9);
    });

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid="export-json"]'),
    ]);
    expect(jsonDownload.suggestedFilename()).toBe('ckpt-many.metrics.json');
    const doc = JSON.parse(readFileSync((await jsonDownload.path()) as string, 'utf8'));
    expect(doc.run).toBe('ckpt-many');
    expect(doc.train).toHaveLength(train.length);
    expect(doc.train[105].step).toBe(106);
    expect(doc.train[105].loss).toBeCloseTo((train[105] as { loss: number }).loss, 5);
    expect(doc.checkpoints.at(-1)).toMatchObject({ step: 106, best: true });
  });

  it('compares the hparams and final figures of the runs on the charts, differences highlighted', async () => {
    await page.click('[data-testid="run-row-ckpt-many"]');
    if (!(await page.isChecked('[data-testid="compare-one-system"]')))
      await page.click('[data-testid="compare-one-system"]');
    await expect.poll(() => attr('[data-testid="compare"]', 'data-runs'), SLOW).toBe('2');
    const row = (key: string) => page.locator(`#compare tr[data-key="${key}"]`);
    await expect.poll(() => row('hparams.d_model').getAttribute('class'), SLOW).toBe('differs');
    expect(await row('hparams.d_model').locator('td').allTextContents()).toEqual(['32', '64']);
    expect(await row('hparams.num_heads').getAttribute('class')).toBe('');
    expect(await row('hparams.num_heads').locator('td').allTextContents()).toEqual(['2', '2']);
    // The highlight is visible, not only a class name.
    const background = await row('hparams.d_model')
      .locator('td')
      .first()
      .evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    expect(await row('final.step').locator('td').allTextContents()).toEqual(['106', '12']);
    // The longer run reached the lower loss: it is the one marked best.
    expect(await row('final.loss').locator('td.best').count()).toBe(1);
    expect(await row('final.loss').locator('td').first().getAttribute('class')).toBe('best');
  });

  it('labels the piano roll rows with pitch names aligned with the notes', async () => {
    await page.click('[data-testid="run-row-one-system"]');
    await page.click('[data-testid="open-sample-samples/gen.mid"]');
    await expect.poll(() => attr('[data-testid="sample-roll"]', 'data-notes'), SLOW).toBe('5');
    const labels = await page.locator('[data-testid="sample-roll-axis"] span').allTextContents();
    expect(labels).toContain('C4');
    expect(labels).toContain('C5');
    // The first note (C4, 0-0.42 s) is drawn at the left of the canvas: find its row's pixels and
    // compare with the centre of the C4 label.
    const { noteY, labelY } = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="sample-roll"]') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const ratio = canvas.width / canvas.clientWidth;
      const x = Math.round(4 * ratio);
      const { data } = ctx.getImageData(x, 0, 1, canvas.height);
      const rows: number[] = [];
      for (let y = 0; y < canvas.height; y++) {
        const [r, g, b, a] = [data[y * 4], data[y * 4 + 1], data[y * 4 + 2], data[y * 4 + 3]] as number[];
        // Notes are drawn in blue (0, 114, 178) at some opacity; row shading is grey.
        if ((a as number) > 0 && (b as number) > (r as number) + 40 && (g as number) < 200) rows.push(y);
      }
      const canvasTop = canvas.getBoundingClientRect().top;
      const label = Array.from(document.querySelectorAll('[data-testid="sample-roll-axis"] span')).find(
        (s) => s.textContent === 'C4',
      ) as HTMLElement;
      const box = label.getBoundingClientRect();
      return {
        noteY: rows.length ? (rows[0] as number) / ratio + (rows.length - 1) / ratio / 2 : Number.NaN,
        labelY: box.top + box.height / 2 - canvasTop,
      };
    });
    expect(Number.isNaN(noteY)).toBe(false);
    expect(Math.abs(noteY - labelY)).toBeLessThan(3);
    expect(pageErrors).toEqual([]);
  });
});
