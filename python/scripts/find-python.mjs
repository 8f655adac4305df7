// The python interpreter that has torch: MT_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH
// (a pyenv python on PATH often lacks torch, which is why PATH comes last).
import { spawnSync } from 'node:child_process';

export function findTorchPython() {
  const candidates = [process.env.MT_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return null;
}
