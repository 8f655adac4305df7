import { readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pidAlive } from './metrics-reader.js';

/**
 * Temporary files of atomic writes are hidden siblings of their target, named with the writer's pid:
 * `.<name>.<pid>.tmp`. Hidden, so a listing of the user's folder shows only real files; the pid, so a
 * later run can tell a temp of a dead process (a `kill -9` mid-write) from one being written now.
 */
export function tempPathFor(path: string, pid: number = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${pid}.tmp`);
}

const TEMP = /^\.(.+)\.(\d+)\.tmp$/;

/** A temp older than this is stale even if its pid is alive again (pids are reused). */
const STALE_AFTER_MS = 24 * 3600 * 1000;

/**
 * Removes the temps in `dir` left by writers that are gone: their pid is not alive, or the file is
 * older than a day. This process's own temps are kept (it may be writing them). Returns the names
 * removed; a folder that does not exist has none. Never throws: cleaning up is best effort.
 */
export function removeStaleTemps(dir: string, now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP.exec(name);
    if (m === null) continue;
    const pid = Number(m[2]);
    if (pid === process.pid) continue;
    const path = join(dir, name);
    try {
      const old = now - statSync(path).mtimeMs > STALE_AFTER_MS;
      if (!old && pidAlive(pid)) continue;
      rmSync(path, { force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
  return removed;
}
