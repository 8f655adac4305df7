import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves `requested` (a URL path, already percent-decoded) inside `root` and returns the real path of
 * an existing regular file, or null. Rejects NUL bytes, backslashes, `..` segments and absolute paths
 * outright, then compares real paths so a symlink inside the root cannot point outside it.
 */
export function resolveInside(root: string, requested: string): string | null {
  if (requested.includes('\0') || requested.includes('\\')) return null;
  const segments = requested.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  if (segments.length === 0) return null;
  let realRoot: string;
  let realTarget: string;
  try {
    realRoot = realpathSync(root);
    realTarget = realpathSync(resolve(realRoot, ...segments));
  } catch {
    return null;
  }
  const rel = relative(realRoot, realTarget);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  try {
    if (!statSync(realTarget).isFile()) return null;
  } catch {
    return null;
  }
  return realTarget;
}
