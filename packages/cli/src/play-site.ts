import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';

/** What a static copy of the playground holds, relative to its folder. */
export const PLAY_PAGE = 'play.html';
export const PLAY_MODEL = 'default-model.safetensors';

/**
 * Writes the playground as a static site: the page (also as index.html, so the folder's root opens it),
 * its bundled assets, and the default model beside it, where the page looks for it. Nothing in it needs a
 * server: any static file host serves it. Refuses a destination that is not empty unless `force`.
 */
export async function exportPlaySite(
  webRoot: string,
  modelPath: string,
  destination: string,
  force: boolean,
): Promise<{ folder: string; files: number }> {
  const folder = resolve(destination);
  const existing = await readdir(folder).catch(() => null);
  if (existing !== null && existing.length > 0 && !force) {
    throw new CliError('EXISTS', `${folder} is not empty (use --force to write into it anyway)`);
  }
  const page = join(webRoot, PLAY_PAGE);
  if (!(await stat(page).catch(() => null))?.isFile()) {
    throw new CliError('NOT_FOUND', `the playground page is missing at ${page}: build the cli package first`);
  }
  try {
    await mkdir(folder, { recursive: true });
    await cp(page, join(folder, PLAY_PAGE));
    await cp(page, join(folder, 'index.html'));
    await cp(join(webRoot, 'assets'), join(folder, 'assets'), { recursive: true });
    await cp(modelPath, join(folder, PLAY_MODEL));
  } catch (cause) {
    throw new CliError(
      'UNWRITABLE',
      `cannot write the playground to ${folder}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const files = (await readdir(join(folder, 'assets'))).length + 3;
  return { folder, files };
}
