import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_ROOT } from '../dashboard-server.js';
import { DEFAULT_MODEL_PATH } from '../model-source.js';
import { PLAY_MODEL, PLAY_PAGE } from '../play-site.js';
import { captureIo } from '../test-utils/capture-io.js';
import { expectCliError } from '../test-utils/cli-errors.js';
import { tempDir } from '../test-utils/temp-dir.js';
import { type PlayFlags, runPlay } from './run-play.js';

const root = tempDir('mt-cli-run-play-');

/** `runPlay` into `folder` with `extra`: what it printed on stdout. */
async function play(folder: string, extra: Partial<PlayFlags> = {}): Promise<string> {
  const run = captureIo();
  await runPlay({ export: folder, ...extra }, run);
  return run.out();
}

describe('runPlay', () => {
  it('exports the built page, its assets and the bundled model as a static site', async () => {
    const site = join(root, 'site', 'play');
    const files = readdirSync(join(WEB_ROOT, 'assets')).length + 3;
    expect(JSON.parse(await play(site, { json: true }))).toEqual({ folder: site, files, page: PLAY_PAGE });
    const page = readFileSync(join(WEB_ROOT, PLAY_PAGE));
    expect(readFileSync(join(site, PLAY_PAGE)).equals(page)).toBe(true);
    expect(readFileSync(join(site, 'index.html')).equals(page)).toBe(true);
    expect(readFileSync(join(site, PLAY_MODEL)).equals(readFileSync(DEFAULT_MODEL_PATH))).toBe(true);
    expect(readdirSync(join(site, 'assets')).sort()).toEqual(readdirSync(join(WEB_ROOT, 'assets')).sort());
  });

  it('refuses a folder that is not empty unless --force, and then keeps what was there', async () => {
    const site = join(root, 'taken');
    mkdirSync(site);
    writeFileSync(join(site, 'keep.txt'), 'mine');
    await expectCliError(play(site), 'EXISTS', `${site} is not empty (use --force to write into it anyway)`);
    expect(existsSync(join(site, PLAY_PAGE))).toBe(false);
    expect(await play(site, { force: true })).toMatch(`wrote the playground to ${site} (`);
    expect(existsSync(join(site, PLAY_MODEL))).toBe(true);
    expect(readFileSync(join(site, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
