#!/usr/bin/env node
// Release check: what `pnpm publish -r` would publish, installed the way a user would install it.
//
// 1. `pnpm publish -r --dry-run` lists every public workspace package with the files it would upload;
//    each package's entry points (exports, main, types, bin) must be among them.
// 2. `pnpm pack` of each public package; no packed manifest may keep a `workspace:` range.
// 3. plain `npm install` of all the tarballs into an empty folder outside the repository (third-party
//    dependencies come from the npm registry), then, in that folder:
//    `import '@music-transformer/vocab'`, `mt generate` with the bundled model, and `mt dashboard`
//    (start, fetch the page and one of its scripts, stop).
//
// Needs `pnpm build` first (the root `test` script builds before it runs this). Prints one JSON line
// with the timings; exits 1 with one message per failed check.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { packPackages, publicPackages, root, run } from './release-packages.mjs';

const started = Date.now();
const timings = {};
const failures = [];
const keep = process.argv.includes('--keep');

function fail(message) {
  failures.push(message);
  console.error(`check-release: ${message}`);
}

async function timed(name, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t0;
  }
}

/** Files a package's manifest points at: exports (all conditions), main, types, bin. */
function entryFiles(manifest) {
  const out = new Set();
  const walk = (v) => {
    if (typeof v === 'string') out.add(v.replace(/^\.\//, ''));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(manifest.exports);
  walk(manifest.main);
  walk(manifest.types);
  walk(manifest.bin);
  // Subpath patterns (`./dist/*.js`) name no single file.
  return [...out].filter((f) => !f.includes('*'));
}

function dryRunPublish(packages) {
  const summaryPath = join(root, 'pnpm-publish-summary.json');
  rmSync(summaryPath, { force: true });
  try {
    run('pnpm', ['publish', '-r', '--dry-run', '--no-git-checks', '--report-summary'], { cwd: root });
  } catch (e) {
    fail(`pnpm publish -r --dry-run failed:\n${e.stderr || e.stdout || e.message}`);
    return;
  }
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
  rmSync(summaryPath, { force: true });
  const listed = new Map(summary.publishedPackages.map((p) => [p.name, p]));
  for (const pkg of packages) {
    const entry = listed.get(pkg.name);
    if (!entry) {
      // pnpm skips a version the registry already has: fine once released, an error before.
      let published = '';
      try {
        published = run('npm', ['view', `${pkg.name}@${pkg.version}`, 'version']).trim();
      } catch {
        // not on the registry
      }
      if (published !== pkg.version) {
        fail(`pnpm publish -r --dry-run would not publish ${pkg.name}@${pkg.version}`);
      }
      continue;
    }
    const files = new Set(entry.files.map((f) => f.path));
    const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
    for (const f of entryFiles(manifest)) {
      if (!files.has(f)) fail(`${pkg.name}: ${f} (named in package.json) is not in the published files`);
    }
  }
  for (const name of listed.keys()) {
    if (!packages.some((p) => p.name === name))
      fail(`pnpm would publish ${name}, which is not a public package`);
  }
}

function pack(packages, into) {
  try {
    return packPackages(packages, into);
  } catch (e) {
    fail(e.stderr || e.message);
    return [];
  }
}

function waitForJsonLine(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`no JSON line within ${timeoutMs} ms\n${err}`)),
      timeoutMs,
    );
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.stdout.on('data', (c) => {
      out += c;
      for (const line of out.split('\n').slice(0, -1)) {
        try {
          const value = JSON.parse(line);
          clearTimeout(timer);
          resolve(value);
          return;
        } catch {
          // not JSON yet
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before printing its address\n${err}`));
    });
  });
}

async function checkDashboard(project, mtBin) {
  mkdirSync(join(project, 'runs'), { recursive: true });
  const child = spawn(process.execPath, [mtBin, 'dashboard', '--logdir', 'runs', '--port', '0', '--json'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const { url } = await waitForJsonLine(child, 30_000);
    const page = await fetch(url);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`GET ${url}: ${page.status}`);
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    if (!script) throw new Error(`the page at ${url} loads no script:\n${html.slice(0, 300)}`);
    const asset = await fetch(new URL(script, url));
    if (asset.status !== 200) throw new Error(`GET ${script}: ${asset.status} (web assets missing?)`);
    await asset.arrayBuffer();
  } catch (e) {
    fail(`mt dashboard in the installed folder: ${e.message}`);
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

async function main() {
  const packages = publicPackages();
  await timed('dry_run_ms', () => dryRunPublish(packages));

  const work = mkdtempSync(join(tmpdir(), 'mt-release-'));
  try {
    const tarballs = await timed('pack_ms', () => pack(packages, join(work, 'tarballs')));
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'try-mt', private: true, type: 'module' })}\n`,
    );
    await timed('npm_install_ms', () =>
      run(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs],
        {
          cwd: project,
        },
      ),
    );
    // Installed from the tarballs, not from the registry: npm would otherwise fetch another version.
    for (const pkg of packages) {
      const installed = join(project, 'node_modules', pkg.name, 'package.json');
      if (!existsSync(installed)) fail(`${pkg.name} is not installed in ${relative(work, project)}`);
      else if (JSON.parse(readFileSync(installed, 'utf8')).version !== pkg.version) {
        fail(`${pkg.name}: installed version is not the packed ${pkg.version}`);
      }
    }

    await timed('import_vocab_ms', () => {
      writeFileSync(
        join(project, 'check-vocab.mjs'),
        [
          "import { createVocab, midiToTokens, tokensToMidi } from '@music-transformer/vocab';",
          'const v = createVocab();',
          'const tokens = [v.velocity(20), v.noteOn(60), v.timeShift(50), v.noteOff(60)];',
          'const back = midiToTokens(tokensToMidi(tokens, { bpm: 120 }), { fileName: "x.mid" });',
          'console.log(v.size, Array.from(back.tokens).join() === tokens.join());',
        ].join('\n'),
      );
      try {
        const out = run(process.execPath, ['check-vocab.mjs'], { cwd: project }).trim();
        if (out !== '416 true')
          fail(`import '@music-transformer/vocab' printed "${out}", expected "416 true"`);
      } catch (e) {
        fail(`import '@music-transformer/vocab' failed:\n${e.stderr || e.message}`);
      }
    });

    const mtBin = join(project, 'node_modules', '@music-transformer', 'cli', 'dist', 'bin.js');
    const shim = join(project, 'node_modules', '.bin', 'mt');
    if (!existsSync(shim)) fail('npm did not link the mt command (node_modules/.bin/mt)');
    await timed('mt_generate_ms', () => {
      try {
        run(shim, ['generate', 'out.mid', '--max-tokens', '64', '--seed', '1', '-q'], { cwd: project });
        const head = readFileSync(join(project, 'out.mid')).subarray(0, 4).toString('latin1');
        if (head !== 'MThd') fail(`mt generate wrote no MIDI file (starts with ${JSON.stringify(head)})`);
      } catch (e) {
        fail(`mt generate in the installed folder failed:\n${e.stderr || e.message}`);
      }
    });
    await timed('mt_dashboard_ms', () => checkDashboard(project, mtBin));
  } finally {
    if (keep) console.error(`check-release: kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }

  console.log(
    JSON.stringify({
      check: 'release',
      ok: failures.length === 0,
      packages: packages.map((p) => `${p.name}@${p.version}`),
      ...timings,
      total_ms: Date.now() - started,
    }),
  );
  if (failures.length > 0) process.exit(1);
}

await main();
