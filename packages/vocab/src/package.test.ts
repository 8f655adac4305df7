import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const pkgDir = new URL('..', import.meta.url).pathname;
const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
/** The README's example: the first ```js block after "## Example". */
const example = /## Example\n+```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const expectedOutput = [
  'true',
  'set_velocity_20 note_on_60 time_shift_62 note_on_64 time_shift_63 note_off_60 note_off_64',
  '50 8',
];

function requireDist(): void {
  if (!existsSync(join(pkgDir, 'dist/index.js'))) {
    throw new Error('dist/ is missing: run `pnpm --filter @music-transformer/vocab build` first');
  }
}

describe('the package as users get it', () => {
  it('README example is at most 15 lines', () => {
    expect(example.split('\n').filter(Boolean).length).toBeGreaterThan(3);
    expect(example.trimEnd().split('\n').length).toBeLessThanOrEqual(15);
  });

  it('library sources import nothing Node-only', () => {
    const src = join(pkgDir, 'src');
    for (const f of readdirSync(src).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const text = readFileSync(join(src, f), 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        expect(spec === '@tonejs/midi' || spec!.startsWith('./'), `${f} imports ${spec}`).toBe(true);
      }
      expect(
        /\b(Buffer|process|require|__dirname)\b/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')),
        f,
      ).toBe(false);
    }
  });

  it('bundles for the browser and runs the README example with no Node globals', async () => {
    requireDist();
    const code = example.replace("'@music-transformer/vocab'", `'${join(pkgDir, 'dist/index.js')}'`);
    const out = await build({
      stdin: { contents: code, resolveDir: pkgDir, loader: 'js' },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
    });
    const lines: string[] = [];
    // Only what a browser page has: no process, Buffer, require.
    const run = new Function('console', 'process', 'Buffer', 'require', out.outputFiles[0]!.text);
    run({ log: (...a: unknown[]) => lines.push(a.join(' ')) }, undefined, undefined, undefined);
    expect(lines).toEqual(expectedOutput);
  });

  it('packs, installs into a project outside the repo with npm, and runs the README example', () => {
    requireDist();
    const tmp = mkdtempSync(join(tmpdir(), 'vocab-pack-'));
    try {
      execFileSync('pnpm', ['pack', '--pack-destination', tmp], { cwd: pkgDir, stdio: 'pipe' });
      const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'))!;
      const project = join(tmp, 'project');
      execFileSync('mkdir', [project]);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'try-vocab', private: true, type: 'module' }),
      );
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(tmp, tarball)], {
        cwd: project,
        stdio: 'pipe',
      });
      writeFileSync(join(project, 'example.mjs'), example);
      const stdout = execFileSync('node', ['example.mjs'], { cwd: project, encoding: 'utf8' });
      expect(stdout.trim().split('\n')).toEqual(expectedOutput);
      // The bundled example script and its fixture ship too.
      const script = join(project, 'node_modules/@music-transformer/vocab/examples/round-trip.mjs');
      const summary = execFileSync('node', [script, join(tmp, 'out.mid')], { encoding: 'utf8' });
      expect(summary).toMatch(/satie-gymnopedie-no1.mid: 282 notes in 3 tracks/);
      expect(existsSync(join(tmp, 'out.mid'))).toBe(true);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 180_000);
});
