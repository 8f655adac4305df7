#!/usr/bin/env node
// Packs every public package (after `pnpm build`) into one folder, to install with plain npm where the
// packages are not on a registry: `npm install <folder>/*.tgz` (or `npm install -g <folder>/*.tgz`).
// Usage: node scripts/pack-tarballs.mjs [folder]   (default: ./tarballs)
import { resolve } from 'node:path';
import { packPackages, publicPackages } from './release-packages.mjs';

const into = resolve(process.argv[2] ?? 'tarballs');
try {
  const tarballs = packPackages(publicPackages(), into);
  for (const t of tarballs) console.log(t);
  console.error(`\nInstall them together (they depend on each other):\n  npm install ${into}/*.tgz`);
} catch (e) {
  console.error(`pack-tarballs: ${e.stderr || e.message}`);
  process.exit(1);
}
