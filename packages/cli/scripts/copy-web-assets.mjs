// postbuild of @music-transformer/cli: ships the built dashboard app inside this package as dist/web,
// so `mt dashboard` works from an installed package. The app is found through its package export
// (`@music-transformer/web/page`, its built index.html), never through a path into another package.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const page = fileURLToPath(import.meta.resolve('@music-transformer/web/page'));
const from = dirname(page);
const to = fileURLToPath(new URL('../dist/web/', import.meta.url));
if (!existsSync(page)) {
  console.error(
    `copy-web-assets: ${page} is missing; build the app first (pnpm --filter @music-transformer/web build)`,
  );
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`copy-web-assets: ${from} -> ${to}`);
