// postbuild of @music-transformer/cli: ships the built dashboard app (apps/web/dist) inside this
// package as dist/web, so `mt dashboard` works from an installed package without the monorepo.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../../apps/web/dist/', import.meta.url));
const to = fileURLToPath(new URL('../../dist/web/', import.meta.url));
if (!existsSync(`${from}index.html`)) {
  console.error(
    `copy-web-assets: ${from}index.html is missing; build the app first (pnpm --filter @music-transformer/web build)`,
  );
  process.exit(1);
}
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
console.log(`copy-web-assets: ${from} -> ${to}`);
