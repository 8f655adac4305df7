// Generation benchmark: default hparams (random weights from MusicTransformer.create), 1024 tokens from
// <start>, categorical sampling at temperature 1. Prints one JSON line per figure. The machine is shared,
// so wall-clock figures move a lot with the load of other processes; the `*-cpu` figures divide by this
// process's CPU time instead (process.cpuUsage), which is steadier. Usage: node bench/generate.mjs (after
// `pnpm build`); `--kernels js` measures the plain-JS fallback instead of the WebAssembly SIMD kernels.
import { loadavg } from 'node:os';
import { createGenerator, hparamPresets, initBackend, MusicTransformer } from '../dist/index.js';

const TOKENS = 1024;
const kernels = process.argv.includes('--kernels')
  ? process.argv[process.argv.indexOf('--kernels') + 1]
  : 'auto';
// Only MusicTransformer.create needs a tf backend; generation itself runs on its own kernels.
const backend = await initBackend('auto');
const model = MusicTransformer.create(hparamPresets.default, 1);
const generator = createGenerator(model, { kernels });
model.dispose(); // the generator keeps its own copy of the weights

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// Session set-up (WebAssembly memory, weight copy) is timed apart. The same session then runs a warm-up pass
// over the whole length and is reset() before each measured pass, so blocks are timed on optimised code and
// touched memory, as in a long-running live session. A session never stops by itself: with random weights
// <end> is as likely as any token.
const setupStart = performance.now();
const session = generator.session({ seed: 1 });
const setupMs = performance.now() - setupStart;

/** Generates `count` tokens from <start>; returns wall and CPU stamps (ms) after each token. */
function timedRun(count) {
  session.reset();
  const wall = [];
  const cpu = [];
  const start = { wall: performance.now(), cpu: cpuMs() };
  for (let i = 0; i < count; i++) {
    session.next();
    wall.push(performance.now());
    // process.cpuUsage costs a few microseconds: read it only at the block edges that are reported
    cpu.push(i === 127 || i === count - 129 || i === count - 1 ? cpuMs() : Number.NaN);
  }
  return { start, wall, cpu };
}

timedRun(TOKENS); // warm-up
const { start, wall, cpu } = timedRun(TOKENS);
const rate = (n, ms) => (n * 1000) / ms;
const context = {
  tokens: TOKENS,
  hparams: 'default',
  kernels: generator.kernels,
  tfBackend: backend.name,
  node: process.version,
  loadavg1: Math.round(loadavg()[0] * 10) / 10,
};
const line = (name, value, unit, extra = {}) =>
  console.log(
    JSON.stringify({
      bench: `model/${name}`,
      value: Math.round(value * 100) / 100,
      unit,
      ...context,
      ...extra,
    }),
  );
const last = TOKENS - 1;
const avg = rate(TOKENS, wall[last] - start.wall);
const first = rate(128, wall[127] - start.wall);
const final = rate(128, wall[last] - wall[last - 128]);
line('generate-average', avg, 'tokens/s', { target: 400 });
line('generate-session-setup', setupMs, 'ms');
line('generate-first-128', first, 'tokens/s');
line('generate-last-128', final, 'tokens/s');
line('generate-last-over-first', final / first, 'ratio', { target: 0.7 });
const cpuFirst = rate(128, cpu[127] - start.cpu);
const cpuLast = rate(128, cpu[last] - cpu[last - 128]);
line('generate-average-cpu', rate(TOKENS, cpu[last] - start.cpu), 'tokens per CPU second');
line('generate-last-over-first-cpu', cpuLast / cpuFirst, 'ratio', {
  first: Math.round(cpuFirst),
  last: Math.round(cpuLast),
});

// Past the context: 2048 tokens through the 1024-position cache, sliding windows included.
const slid = timedRun(2048);
line('generate-2048-sliding-window', rate(2048, slid.wall[2047] - slid.start.wall), 'tokens/s', {
  tokens: 2048,
  windowKeep: generator.policy.windowKeep,
});
