"""The run directory of docs/architecture.md ("Run directory"), which `mt dashboard` reads:
`<logdir>/<name>/config.json`, an append-only `metrics.jsonl` (schema v1), `checkpoints/`, `samples/`."""

import datetime
import json
import math
import os
from typing import Any, Dict

from .errors import MtTorchError
from .safetensors_codec import write_atomic

METRICS_SCHEMA_VERSION = 1


def iso_now() -> str:
    """ISO 8601 in UTC with milliseconds, as JavaScript's Date.toISOString writes it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _finite(value: Any) -> Any:
    # JSON.stringify writes NaN/Infinity as null; readers show a gap. json.dumps would write NaN (invalid JSON).
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class RunWriter:
    def __init__(self, directory: str, config: Dict[str, Any]):
        self.dir = directory
        self.metrics_path = os.path.join(directory, "metrics.jsonl")
        self.checkpoints_dir = os.path.join(directory, "checkpoints")
        self.samples_dir = os.path.join(directory, "samples")
        try:
            os.makedirs(self.checkpoints_dir, exist_ok=True)
            os.makedirs(self.samples_dir, exist_ok=True)
        except OSError as e:
            raise MtTorchError(f"cannot create run directory {directory}: {e.strerror}") from None
        config_path = os.path.join(directory, "config.json")
        # Kept as the first session wrote it, so `created` stays the run's birth time across resumes.
        if not os.path.exists(config_path):
            full = {"schema": 1, "name": config["name"], "created": iso_now(), **config}
            write_atomic(config_path, (json.dumps(full, indent=2) + "\n").encode())
        self._heal_torn_tail()

    def append(self, record: Dict[str, Any]) -> Dict[str, Any]:
        """Stamps `v` and `time` and appends one line with one write call (readers see whole lines or a torn tail)."""
        full = {"v": METRICS_SCHEMA_VERSION, "time": iso_now(), **{k: _finite(v) for k, v in record.items()}}
        line = (json.dumps(full, separators=(",", ":")) + "\n").encode()
        fd = os.open(self.metrics_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
        return full

    def _heal_torn_tail(self) -> None:
        # A process killed mid-append leaves a line without newline; end it so new records start clean.
        if not os.path.exists(self.metrics_path) or os.path.getsize(self.metrics_path) == 0:
            return
        with open(self.metrics_path, "rb+") as f:
            f.seek(-1, os.SEEK_END)
            if f.read(1) != b"\n":
                f.write(b"\n")


class SystemSampler:
    """cpu_percent and rss_bytes of this process since the previous sample (Linux /proc; None elsewhere)."""

    def __init__(self) -> None:
        self._last = (os.times(), _monotonic())

    def sample(self) -> Dict[str, Any]:
        times, now = os.times(), _monotonic()
        (t0, w0) = self._last
        self._last = (times, now)
        busy = (times.user + times.system) - (t0.user + t0.system)
        cpu = 100.0 * busy / (now - w0) if now > w0 else None
        rss = None
        try:
            with open("/proc/self/statm") as f:
                rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
        return {"type": "system", "cpu_percent": cpu, "rss_bytes": rss}


def _monotonic() -> float:
    import time

    return time.monotonic()
