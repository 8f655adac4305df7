// Runs the python tests with a python that has torch (see find-python.mjs). Without one the suite is
// skipped with the reason, except under MT_REQUIRE_TORCH=1 (CI, which installs python3-torch), where it fails.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython } from './find-python.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = findTorchPython();
if (python === null) {
  const required = process.env.MT_REQUIRE_TORCH === '1';
  console.error(
    `${required ? 'error' : 'skipped'}: no python with torch and numpy: install python3-torch python3-numpy python3-pytest (Debian) or set MT_PYTHON`,
  );
  process.exit(required ? 1 : 0);
}
const r = spawnSync(python, ['-m', 'pytest', '-q', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// pytest exits 5 when it collected no test: that is a failure here (the suite would be empty), not a pass.
if (r.status === 5) console.error('pytest collected no tests');
process.exit(r.status ?? 1);
