// Runs the python tests with a python that has torch (see find-python.mjs). Fails when none is found:
// CI installs python3-torch, and a silently skipped suite would pass without testing anything.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython } from './find-python.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = findTorchPython();
if (python === null) {
  console.error(
    'no python with torch and numpy: install python3-torch python3-numpy python3-pytest (Debian) or set MT_PYTHON',
  );
  process.exit(1);
}
const r = spawnSync(python, ['-m', 'pytest', '-q', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
// pytest exits 5 when it collected no test: that is a failure here (the suite would be empty), not a pass.
if (r.status === 5) console.error('pytest collected no tests');
process.exit(r.status ?? 1);
