// Fuzzes the dashboard server: N raw HTTP requests and N ws frame sequences against a loopback bind
// and against a token bind, one JSON line per mode. Usage (after `pnpm build`):
//   node packages/dashboard/bench/fuzz.mjs [--cases 10000] [--seed 1] [--server-dist <dir> --restart]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { fuzzMode } from './fuzz-run.mjs';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    'server-dist': { type: 'string' },
    // Restart the server after a crash and count the fatal cases (measuring a build that crashes).
    restart: { type: 'boolean', default: false },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
let failed = false;
for (const mode of ['loopback', 'token']) {
  const serverDist = values['server-dist']
    ? pathToFileURL(resolve(values['server-dist'], 'index.js')).href
    : undefined;
  const r = await fuzzMode({
    mode,
    seed,
    httpCases: cases,
    wsCases: cases,
    serverDist,
    restart: values.restart,
  });
  failed ||= r.crashes > 0 || !r.pageServed || !r.wsHealthy;
  console.log(
    JSON.stringify({ bench: `dashboard/fuzz-${mode}`, value: r.crashes, unit: 'crashes', target: 0, ...r }),
  );
}
process.exitCode = failed ? 1 : 0;
