import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPlaySite } from './play-site.js';

describe('exportPlaySite', () => {
  const work = mkdtempSync(join(tmpdir(), 'mt-play-site-'));
  const web = join(work, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'play.html'), '<!doctype html><title>play</title>');
  writeFileSync(join(web, 'assets', 'play-1.js'), 'console.log(1)');
  const model = join(work, 'model.safetensors');
  writeFileSync(model, 'model bytes');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('writes the page (also as index.html), its assets and the model beside it', async () => {
    const site = join(work, 'site');
    expect(await exportPlaySite(web, model, site, false)).toEqual({ folder: site, files: 4 });
    expect(readdirSync(site).sort()).toEqual([
      'assets',
      'default-model.safetensors',
      'index.html',
      'play.html',
    ]);
    expect(readFileSync(join(site, 'default-model.safetensors'), 'utf8')).toBe('model bytes');
    expect(readFileSync(join(site, 'index.html'), 'utf8')).toContain('<title>play</title>');
  });

  it('refuses a folder that is not empty unless forced', async () => {
    const site = join(work, 'full');
    mkdirSync(site);
    writeFileSync(join(site, 'keep.txt'), 'x');
    await expect(exportPlaySite(web, model, site, false)).rejects.toMatchObject({
      code: 'EXISTS',
      message: `${site} is not empty (use --force to write into it anyway)`,
    });
    await exportPlaySite(web, model, site, true);
    expect(readdirSync(site)).toContain('keep.txt');
  });

  it('names the missing page when the web app was not built', async () => {
    await expect(
      exportPlaySite(join(work, 'nothing'), model, join(work, 'other'), false),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(join(work, 'nothing', 'play.html')),
    });
  });
});
