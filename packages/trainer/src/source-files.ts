import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TrainerError } from './errors.js';

/**
 * Every `.mid` / `.midi` file below `dir` (any depth, extension case-insensitive), as '/'-separated paths
 * relative to `dir`, sorted: the order and names do not depend on the platform or the file system.
 */
export function findMidiFiles(dir: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch (cause) {
    throw new TrainerError('BAD_SOURCE', `source folder ${dir} does not exist`, { cause });
  }
  if (!st.isDirectory()) throw new TrainerError('BAD_SOURCE', `source ${dir} is not a folder`);
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.midi?$/i.test(e.name)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
