// The workspace packages a release publishes, and their tarballs: shared by scripts/pack-tarballs.mjs
// (users installing without a registry) and scripts/check-release.mjs (CI).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Every workspace package not marked private: what `pnpm publish -r` publishes. */
export function publicPackages() {
  const all = JSON.parse(run('pnpm', ['-r', 'ls', '--json', '--depth', '-1'], { cwd: root }));
  return all
    .filter((p) => !p.private)
    .map((p) => ({ name: p.name, version: p.version, dir: p.path }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * `pnpm pack` of each package into `into`. pnpm rewrites `workspace:*` ranges to the packages'
 * versions, so the tarballs install together with plain npm. Returns the tarball paths; throws if a
 * pack made no tarball or kept a `workspace:` range.
 */
export function packPackages(packages, into) {
  mkdirSync(into, { recursive: true });
  const tarballs = [];
  for (const pkg of packages) {
    const before = new Set(readdirSync(into));
    run('pnpm', ['pack', '--pack-destination', into], { cwd: pkg.dir });
    const made = readdirSync(into).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    // Packing the same version again overwrites its tarball: find it by name then.
    const name = `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
    const file = made[0] ?? (readdirSync(into).includes(name) ? name : undefined);
    if (!file) throw new Error(`pnpm pack of ${pkg.name} wrote no tarball into ${into}`);
    const tarball = join(into, file);
    const manifest = run('tar', ['-xOzf', tarball, 'package/package.json']);
    if (manifest.includes('workspace:')) throw new Error(`${file}: package.json keeps a workspace: range`);
    tarballs.push(tarball);
  }
  return tarballs;
}
