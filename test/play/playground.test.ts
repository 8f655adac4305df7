import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Midi } from '@tonejs/midi';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mt } from '../dashboard/processes.js';
import { torchPython } from '../torch/torch-python.js';
import { serveFolder } from './static-host.js';

/**
 * The playground page in Debian's Chromium (playwright-core, never `playwright install`), served from a
 * static export (`mt play --export`) by a plain file host: generation runs in the page's worker, and its
 * files are compared byte for byte with what the built `mt generate` writes for the same settings.
 */
const CHROMIUM = '/usr/bin/chromium';
const PRIMER = fileURLToPath(new URL('../fixtures/midi/satie-gymnopedie-no1.mid', import.meta.url));
const DONE = { timeout: 90_000 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--autoplay-policy=no-user-gesture-required',
];

/** Drops `file` on a drop zone the way a user does: a real drop event carrying a File. */
async function dropFile(page: Page, testid: string, file: string, type: string): Promise<void> {
  const name = file.split('/').pop()!;
  const transfer = await page.evaluateHandle(
    ({ base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], name, { type }));
      return dt;
    },
    { base64: readFileSync(file).toString('base64'), name, type },
  );
  await page.dispatchEvent(`[data-testid="${testid}"]`, 'drop', { dataTransfer: transfer });
}

async function downloadBytes(page: Page): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('[data-testid="download"]'),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

describe.skipIf(!existsSync(CHROMIUM))('playground in Chromium', () => {
  const work = mkdtempSync(join(tmpdir(), 'mt-play-e2e-'));
  const site = join(work, 'site');
  let host: Awaited<ReturnType<typeof serveFolder>>;
  let browser: Browser;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  async function openPage(query = ''): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${host.url}play.html${query}`);
    await expect
      .poll(() => page.getAttribute('[data-testid="model-status"]', 'data-kernels'), DONE)
      .toMatch(/simd|js/);
    return page;
  }

  async function setSettings(page: Page, values: Record<string, string>): Promise<void> {
    for (const [id, value] of Object.entries(values)) await page.fill(`#${id}`, value);
  }

  async function generated(page: Page): Promise<void> {
    await page.waitForSelector('[data-testid="status"][data-state="done"]', DONE);
  }

  /** `mt generate` with the bundled model; returns the file's bytes. */
  async function cliFile(name: string, flags: string[]): Promise<Buffer> {
    const out = join(work, name);
    rmSync(out, { force: true });
    await mt(['generate', 'default', out, ...flags, '-q'], work, 120_000);
    return readFileSync(out);
  }

  beforeAll(async () => {
    await mt(['play', '--export', site, '-q'], work);
    host = await serveFolder(site);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  let firstPiece: Buffer;
  let sharedLink: string;

  it('generates 256 tokens with a fixed seed: the downloaded .mid is the file mt generate writes', async () => {
    const page = await openPage();
    expect(await page.getAttribute('[data-testid="model-status"]', 'data-kernels')).toBe('simd');
    await setSettings(page, { seed: '7', 'max-tokens': '256', seconds: '', 'min-seconds': '10' });
    await page.click('[data-testid="generate"]');
    await generated(page);
    const { name, bytes } = await downloadBytes(page);
    expect(name).toBe('mt-play-7.mid');
    const midi = new Midi(bytes);
    expect(midi.tracks.flatMap((t) => t.notes).length).toBeGreaterThan(10);
    const cli = await cliFile('mt-play-7.mid', ['--seed', '7', '--max-tokens', '256']);
    expect(bytes.equals(cli)).toBe(true);
    expect(await page.textContent('[data-testid="command"]')).toContain('--seed 7');
    firstPiece = bytes;
    sharedLink = (await page.getAttribute('[data-testid="share"]', 'href'))!;
    expect(new URL(sharedLink).searchParams.get('seed')).toBe('7');
    expect(new URL(sharedLink).searchParams.get('tokens')).toBe('256');
    await page.context().close();
  });

  it('keeps new notes inside the instrument range, as mt generate --pitch-range does', async () => {
    const page = await openPage();
    await page.check('#range-on');
    await setSettings(page, {
      seed: '5',
      'max-tokens': '200',
      seconds: '',
      'range-low': '60',
      'range-high': '72',
    });
    await page.click('[data-testid="generate"]');
    await generated(page);
    const { bytes } = await downloadBytes(page);
    const pitches = new Midi(bytes).tracks.flatMap((t) => t.notes.map((n) => n.midi));
    expect(pitches.length).toBeGreaterThan(5);
    expect(pitches.filter((p) => p < 60 || p > 72)).toEqual([]);
    const cli = await cliFile('mt-play-5.mid', [
      '--seed',
      '5',
      '--max-tokens',
      '200',
      '--pitch-range',
      '60-72',
    ]);
    expect(bytes.equals(cli)).toBe(true);
    expect(
      new URL((await page.getAttribute('[data-testid="share"]', 'href'))!).searchParams.get('range'),
    ).toBe('60-72');
    await page.context().close();
  });

  it('a shared link reproduces the piece in a fresh browser context', async () => {
    const page = await openPage(new URL(sharedLink).search);
    await generated(page);
    expect(await page.inputValue('#seed')).toBe('7');
    expect(await page.inputValue('#max-tokens')).toBe('256');
    const { bytes } = await downloadBytes(page);
    expect(bytes.equals(firstPiece)).toBe(true);
    await page.context().close();
  });

  it('continues a dropped primer, whole or continuation-only, as mt generate -i does', async () => {
    const page = await openPage();
    await dropFile(page, 'primer-drop', PRIMER, 'audio/midi');
    await expect.poll(() => page.textContent('[data-testid="primer-status"]')).toContain('satie');
    await setSettings(page, { seed: '3', 'max-tokens': '128', seconds: '' });
    await page.click('[data-testid="generate"]');
    await generated(page);
    const whole = await downloadBytes(page);
    const flags = ['--seed', '3', '--max-tokens', '128', '-i', PRIMER];
    expect(whole.bytes.equals(await cliFile('mt-play-3.mid', flags))).toBe(true);

    await page.check('#continuation-only');
    await page.click('[data-testid="generate"]');
    await generated(page);
    const tail = await downloadBytes(page);
    expect(tail.bytes.equals(await cliFile('mt-play-3.mid', [...flags, '--continuation-only']))).toBe(true);
    expect(tail.bytes.length).toBeLessThan(whole.bytes.length);
    expect(
      new URL((await page.getAttribute('[data-testid="share"]', 'href')) ?? '').searchParams.get('co'),
    ).toBe('1');
    await page.context().close();
  });

  it('grows the roll while generating, stops at once, and generates again after a stop', async () => {
    const page = await openPage();
    await setSettings(page, { seed: '11', 'max-tokens': '100000', seconds: '', 'min-seconds': '3600' });
    await page.click('[data-testid="generate"]');
    // The roll fills in while tokens arrive (several progress messages, each with more notes).
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid="roll"]', 'data-notes')), DONE)
      .toBeGreaterThan(0);
    const early = Number(await page.getAttribute('[data-testid="roll"]', 'data-notes'));
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid="roll"]', 'data-notes')), DONE)
      .toBeGreaterThan(early);
    // The page answers while the worker generates: no long task holds the main thread.
    const t0 = Date.now();
    await page.evaluate(() => 1);
    expect(Date.now() - t0).toBeLessThan(2000);
    await page.click('[data-testid="stop"]');
    expect(await page.getAttribute('[data-testid="status"]', 'data-state')).toBe('stopped');
    await expect.poll(() => page.isEnabled('[data-testid="generate"]'), DONE).toBe(true);
    await setSettings(page, { 'max-tokens': '64', 'min-seconds': '0' });
    await page.click('[data-testid="generate"]');
    await generated(page);
    await page.context().close();
  });

  it('plays the piece with the synth and stops it', async () => {
    const page = await openPage('?seed=5&tokens=200&s=none');
    await generated(page);
    await page.click('[data-testid="play"]');
    await expect.poll(() => page.getAttribute('[data-testid="play"]', 'data-playing')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.querySelector('[data-testid="play"]')?.textContent))
      .toBe('Stop playing');
    await page.click('[data-testid="play"]');
    await expect.poll(() => page.getAttribute('[data-testid="play"]', 'data-playing')).toBe('false');
    // Play then Stop in one task, before audio has started: the start is cancelled, nothing plays on.
    await page.evaluate(() => {
      const button = document.querySelector<HTMLButtonElement>('[data-testid="play"]');
      button?.click();
      button?.click();
    });
    await page.waitForTimeout(1000);
    expect(await page.getAttribute('[data-testid="play"]', 'data-playing')).toBe('false');
    expect(await page.textContent('[data-testid="play"]')).toBe('Play');
    await page.context().close();
  });

  it('loads a dropped .safetensors model, and names a file that is not one', async () => {
    const page = await openPage();
    const model = join(site, 'default-model.safetensors');
    const copy = join(work, 'my-model.safetensors');
    cpSync(model, copy);
    await dropFile(page, 'model-drop', copy, 'application/octet-stream');
    await expect
      .poll(() => page.textContent('[data-testid="model-status"]'), DONE)
      .toContain('my-model.safetensors:');
    await dropFile(page, 'model-drop', PRIMER, 'application/octet-stream');
    await expect
      .poll(() => page.textContent('[data-testid="status"]'), DONE)
      .toMatch(/^error: satie-gymnopedie-no1\.mid: /);
    await page.context().close();
  });

  it('loads a dropped PyTorch .pt (mt export): the downloaded .mid is the file mt generate writes from it', async () => {
    const pt = join(work, 'm.pt');
    await mt(['export', 'default', pt, '-q'], work, 120_000);
    const page = await openPage();
    await dropFile(page, 'model-drop', pt, 'application/octet-stream');
    await expect
      .poll(() => page.textContent('[data-testid="model-status"]'), DONE)
      .toMatch(/^m\.pt: .* parameters, vocabulary 'seed'/);
    await setSettings(page, { seed: '11', 'max-tokens': '160', seconds: '', 'min-seconds': '10' });
    await page.click('[data-testid="generate"]');
    await generated(page);
    const { name, bytes } = await downloadBytes(page);
    expect(name).toBe('mt-play-11.mid');
    expect(new Midi(bytes).tracks.flatMap((t) => t.notes).length).toBeGreaterThan(5);
    // Same file name as the download: mt generate names the MIDI track after it.
    const out = join(work, name);
    await mt(['generate', pt, out, '--seed', '11', '--max-tokens', '160', '-q'], work, 120_000);
    expect(bytes.equals(readFileSync(out))).toBe(true);
    await page.context().close();
  });

  it('names a bare state_dict .pt and says to convert it with mt import; names a .pt that is not a model', async () => {
    // A bare state_dict (no hparams) of the same weights, written by real PyTorch: the weights cannot
    // tell num_heads, which mt import takes as a flag and the page has no way to ask for.
    const pt = join(work, 'm.pt');
    if (!existsSync(pt)) await mt(['export', 'default', pt, '-q'], work, 120_000);
    const bare = join(work, 'bare.pt');
    const saved = spawnSync(
      torchPython(),
      ['-c', 'import sys, torch; torch.save(torch.load(sys.argv[1])["state_dict"], sys.argv[2])', pt, bare],
      { encoding: 'utf8' },
    );
    expect(saved.stderr).toBe('');
    const page = await openPage();
    await dropFile(page, 'model-drop', bare, 'application/octet-stream');
    await expect
      .poll(() => page.textContent('[data-testid="status"]'), DONE)
      .toMatch(
        /^error: bare\.pt: .*num_heads.*; convert it once with: mt import bare\.pt model\.safetensors /,
      );
    const notModel = join(work, 'notes.pt');
    writeFileSync(notModel, 'these are not weights\n');
    await dropFile(page, 'model-drop', notModel, 'application/octet-stream');
    await expect.poll(() => page.textContent('[data-testid="status"]'), DONE).toMatch(/^error: notes\.pt: /);
    await page.context().close();
  });

  it('falls back to the JavaScript kernels where the page may not compile WebAssembly, and still generates', async () => {
    // A host whose Content-Security-Policy lacks 'wasm-unsafe-eval': the SIMD module cannot be compiled.
    const strict = await serveFolder(site, {
      'Content-Security-Policy': "default-src 'self'; script-src 'self'",
    });
    try {
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${strict.url}play.html?seed=4&tokens=64&s=none`);
      await expect
        .poll(() => page.getAttribute('[data-testid="model-status"]', 'data-kernels'), DONE)
        .toBe('js');
      await generated(page);
      const { bytes } = await downloadBytes(page);
      expect(new Midi(bytes).tracks.flatMap((t) => t.notes).length).toBeGreaterThan(0);
      await context.close();
    } finally {
      await strict.close();
    }
  });

  it('fetched nothing from anywhere but the static host, and raised no page error', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(host.url) && !u.startsWith('blob:'))).toEqual([]);
    expect(requests.filter((u) => /tensorflow|tfjs/i.test(u))).toEqual([]);
    // TF.js is not bundled either: no script of the exported site contains it.
    const scripts = readdirSync(join(site, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.some((f) => f.startsWith('worker-'))).toBe(true);
    expect(
      scripts.filter((f) => readFileSync(join(site, 'assets', f), 'utf8').includes('@tensorflow')),
    ).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
