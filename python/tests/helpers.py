"""Shared by the tests: paths, the TypeScript driver (ts_engine.mjs) and comparisons."""

import json
import os
import subprocess
import tempfile
from typing import Any, Dict, Tuple

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
REPO = os.path.dirname(PACKAGE_ROOT)


def node_available() -> bool:
    return os.path.isfile(os.path.join(REPO, "packages", "model", "dist", "index.js"))


def ts(command: str, *args: str) -> str:
    """Runs the driver; its errors fail the test with the driver's stderr."""
    r = subprocess.run(["node", os.path.join(HERE, "ts_engine.mjs"), command, *args], capture_output=True, text=True, cwd=HERE)
    if r.returncode != 0:
        raise AssertionError(f"ts_engine.mjs {command} failed:\n{r.stderr}")
    return r.stdout


def ts_state(command: str, request: Dict[str, Any]) -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    from mt_torch.safetensors_codec import read

    with tempfile.TemporaryDirectory() as d:
        req, out = os.path.join(d, "request.json"), os.path.join(d, "out.safetensors")
        with open(req, "w") as f:
            json.dump(request, f)
        ts(command, req, out)
        return read(out)


def rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max |b| over a tensor (0 when both are 0): the tensor's error relative to its scale."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.abs(b).max()
    diff = np.abs(a - b).max()
    return 0.0 if diff == 0 else float(diff / scale) if scale > 0 else float("inf")


def mt(*args: str, cwd: str) -> subprocess.CompletedProcess:
    """The built `mt` command (packages/cli/dist/bin.js)."""
    return subprocess.run(["node", os.path.join(REPO, "packages", "cli", "dist", "bin.js"), *args], capture_output=True, text=True, cwd=cwd)


def train_cmd(*args: str):
    """`python -m mt_torch.train ...` with this interpreter and the package on the path."""
    import sys

    return [sys.executable, "-m", "mt_torch.train", *args]


def train_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = PACKAGE_ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("OMP_NUM_THREADS", "1")
    return env
