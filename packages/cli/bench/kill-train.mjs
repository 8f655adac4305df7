// `mt train` killed with SIGKILL N times at random moments (checkpoints are written every step, so many
// kills land in a checkpoint write), each time resumed with -l. Prints JSON lines: kills, temp files
// seen right after the kills, temp files left after the next run (target 0), resumes that went back in
// steps (target 0: nothing lost), and whether the final checkpoint reads.
// Run after `pnpm build`: node bench/kill-train.mjs [--kills 30] [--seed 1]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'dist', 'bin.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const kills = arg('kills', 30);
let seed = arg('seed', 1);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const work = mkdtempSync(join(tmpdir(), 'mt-bench-kill-'));
const fixtures = join(here, '..', '..', '..', 'test', 'fixtures', 'midi');
const mt = (args) => spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });

/** Hidden temps (`.<name>.<pid>.tmp`) anywhere below the work folder. */
function temps(dir = work) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...temps(path));
    else if (/\.tmp$/.test(name)) out.push(path);
  }
  return out;
}

const stepOf = () => {
  const r = mt(['info', 'ckpt.safetensors', '--json']);
  return r.status === 0 ? (JSON.parse(r.stdout).step ?? JSON.parse(r.stdout).value?.step ?? null) : null;
};

const emit = (name, value, unit, extra = {}) =>
  console.log(JSON.stringify({ bench: `cli/kill-train-${name}`, value, unit, kills, ...extra }));
try {
  const pre = mt([
    'preprocess',
    fixtures,
    'data',
    '128',
    '--windows',
    'all',
    '-t',
    '0',
    '-s',
    '1',
    '--workers',
    '1',
  ]);
  if (pre.status !== 0) throw new Error(pre.stderr);
  const train = [
    'train',
    'data.safetensors',
    'ckpt.safetensors',
    'model.safetensors',
    '100',
    '--preset',
    'tiny',
    '-bs',
    '4',
    '--checkpoint-every',
    '1',
    '--workers',
    '1',
    '--logdir',
    'runs',
  ];
  let tempsAfterKill = 0;
  let wentBack = 0;
  let lastStep = 0;
  let resumedRuns = 0;
  for (let k = 0; k < kills; k++) {
    const child = spawn(process.execPath, [bin, ...train, ...(k > 0 ? ['-l'] : [])], {
      cwd: work,
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 1500 + random() * 3000));
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGKILL');
    });
    tempsAfterKill += temps().length;
    const step = stepOf();
    if (step !== null) {
      if (step < lastStep) wentBack++;
      lastStep = step;
      resumedRuns++;
    }
  }
  // The next run, to its end: it must sweep what the kills left.
  const final = mt([...train, '-l', '--max-steps', '2']);
  emit('kills', kills, 'runs', { checkpointsReadAfterKills: resumedRuns });
  emit('temps-seen-after-kills', tempsAfterKill, 'files');
  emit('temps-left-after-next-run', temps().length, 'files', {
    target: 0,
    finalExit: final.status,
    stderr: final.stderr
      .split('\n')
      .filter((l) => l.startsWith('error'))
      .slice(0, 2),
  });
  emit('resumes-that-lost-steps', wentBack, 'runs', { target: 0, lastStep: stepOf() });
} finally {
  rmSync(work, { recursive: true, force: true });
}
