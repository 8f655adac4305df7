// Child process for the exact-resume and crash tests: runs train() from the built package (dist) with the
// options given as JSON in argv[2]. SIGINT/SIGTERM abort the run cleanly (finish the step, checkpoint,
// exit 0), as the CLI does. Every train record is printed as `step <n>` so the parent knows the progress.
// With CRASH_ON_CHECKPOINT=<k>, the k-th large file write is cut in half and the process kills itself
// with SIGKILL, simulating a crash in the middle of a checkpoint save.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { TrainerEmitter, train } from '../dist/index.js';

const crashAt = Number(process.env.CRASH_ON_CHECKPOINT ?? 0);
if (crashAt > 0) {
  const original = fs.writeSync;
  let bigWrites = 0;
  fs.writeSync = (fd, buffer, ...rest) => {
    if (typeof buffer !== 'string' && buffer.byteLength > 100_000 && ++bigWrites === crashAt) {
      original(fd, buffer, 0, buffer.byteLength >> 1);
      process.kill(process.pid, 'SIGKILL');
    }
    return original(fd, buffer, ...rest);
  };
  syncBuiltinESMExports();
}

const options = JSON.parse(process.argv[2]);
const controller = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => controller.abort());
const events = new TrainerEmitter();
events.on('train', (r) => process.stdout.write(`step ${r.step}\n`));
const result = await train(options, { signal: controller.signal, events });
process.stdout.write(`result ${JSON.stringify(result)}\n`);
