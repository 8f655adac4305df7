import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Location of a compiled worker module. From dist the worker sits beside this file. When the package runs
 * from its TypeScript sources (vitest), Node cannot load a .ts worker, so the compiled copy in ../dist is
 * used; `pnpm --filter @music-transformer/trainer build` must have run (turbo's test task depends on it).
 */
export function workerFile(name: string): string {
  const here = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(here))) return fileURLToPath(here);
  return fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
}
