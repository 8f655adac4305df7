"""Model files and checkpoints in the project's formats (packages/model checkpoint.ts, packages/trainer
checkpoint.ts), so `mt info`, `mt generate`, `mt evaluate` and `mt live` read what this trainer writes.

- Model file: every parameter as F32 under its state_dict name; metadata `format` =
  "music-transformer/model@1", `hparams` (JSON) and caller entries (`vocab` JSON, `step`, `epoch`, `run`).
- Checkpoint: the weights, Adam moments as `optimizer.m.<name>` / `optimizer.v.<name>`, and the resume
  state as JSON under `__metadata__.checkpoint` (format "music-transformer/trainer-checkpoint", version 1).
"""

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

import numpy as np

from .errors import MtTorchError
from .hparams import HParams
from .params import param_specs
from .safetensors_codec import encode, read, write_atomic

MODEL_FORMAT = "music-transformer/model@1"
CHECKPOINT_FORMAT = "music-transformer/trainer-checkpoint"
M, V = "optimizer.m.", "optimizer.v."
# Literals of packages/trainer's checkpoint schema: this trainer derives data order and dropout seeds the same way.
RNG_DATA_ORDER = "fork(data-order/epoch-<epoch>) Fisher-Yates"
RNG_DROPOUT = "engine dropoutSeed = mixSeed(seed, step)"


def _checked(h: HParams, values: Mapping[str, np.ndarray], what: str, prefix: str = "") -> Dict[str, np.ndarray]:
    out = {}
    for name, shape, _ in param_specs(h):
        v = values.get(name)
        if v is None:
            raise MtTorchError(f"{what}: missing tensor '{prefix}{name}' (expected shape {list(shape)})")
        if tuple(v.shape) != shape:
            raise MtTorchError(f"{what}: tensor '{prefix}{name}' has shape {list(v.shape)}, expected {list(shape)}")
        out[prefix + name] = np.asarray(v, dtype=np.float32)
    return out


def encode_model(h: HParams, weights: Mapping[str, np.ndarray], metadata: Mapping[str, str]) -> bytes:
    return encode(_checked(h, weights, "model"), {**metadata, "format": MODEL_FORMAT, "hparams": h.to_json()})


def read_model(path: str) -> Tuple[HParams, Dict[str, np.ndarray], Dict[str, str]]:
    """A model file or a trainer checkpoint (weights only) -> (hparams, weights, metadata)."""
    tensors, metadata = read(path, "model")
    if "checkpoint" in metadata:
        meta = json.loads(metadata["checkpoint"])
        h = HParams.from_dict(meta["hparams"])
    elif "hparams" in metadata:
        h = HParams.from_dict(json.loads(metadata["hparams"]))
    else:
        raise MtTorchError(f"{path}: neither a model file nor a checkpoint (no 'hparams' or 'checkpoint' metadata)")
    return h, _checked(h, tensors, path), metadata


@dataclass
class Checkpoint:
    meta: Dict[str, Any]
    weights: Dict[str, np.ndarray]
    adam_m: Dict[str, np.ndarray]
    adam_v: Dict[str, np.ndarray]

    @property
    def hparams(self) -> HParams:
        return HParams.from_dict(self.meta["hparams"])


def encode_checkpoint(ckpt: Checkpoint) -> bytes:
    h = ckpt.hparams
    tensors = {**_checked(h, ckpt.weights, "checkpoint"), **_checked(h, ckpt.adam_m, "checkpoint", M), **_checked(h, ckpt.adam_v, "checkpoint", V)}
    return encode(tensors, {"checkpoint": json.dumps(ckpt.meta, separators=(",", ":"))})


def read_checkpoint(path: str) -> Checkpoint:
    tensors, metadata = read(path, "checkpoint")
    if "checkpoint" not in metadata:
        raise MtTorchError(f"{path} has no checkpoint metadata: not a checkpoint")
    try:
        meta = json.loads(metadata["checkpoint"])
    except json.JSONDecodeError as e:
        raise MtTorchError(f"{path}: checkpoint metadata is not JSON ({e})") from None
    if meta.get("format") != CHECKPOINT_FORMAT or meta.get("version") != 1:
        raise MtTorchError(f"{path}: checkpoint metadata is not {CHECKPOINT_FORMAT} version 1")
    h = HParams.from_dict(meta["hparams"])
    weights = _checked(h, tensors, path)
    m = {k[len(M):]: v for k, v in tensors.items() if k.startswith(M)}
    v = {k[len(V):]: v for k, v in tensors.items() if k.startswith(V)}
    return Checkpoint(meta, weights, _checked(h, m, path), _checked(h, v, path))


STEP_FILE = re.compile(r"^step-(\d+)\.safetensors$")
BEST = "best.safetensors"


def list_step_checkpoints(directory: str) -> List[Tuple[int, str]]:
    """(step, path) of step checkpoints, oldest first; temporary files are ignored."""
    if not os.path.isdir(directory):
        return []
    found = [(int(m.group(1)), os.path.join(directory, f)) for f in os.listdir(directory) if (m := STEP_FILE.match(f))]
    return sorted(found)


def write_step_checkpoint(directory: str, ckpt: Checkpoint, keep_last: int) -> str:
    path = os.path.join(directory, f"step-{ckpt.meta['step']}.safetensors")
    write_atomic(path, encode_checkpoint(ckpt))
    every = list_step_checkpoints(directory)
    for _, old in every[: max(0, len(every) - keep_last)]:
        try:
            os.remove(old)
        except FileNotFoundError:
            pass
    return path


def write_best_checkpoint(directory: str, ckpt: Checkpoint) -> str:
    path = os.path.join(directory, BEST)
    write_atomic(path, encode_checkpoint(ckpt))
    return path


def newest_checkpoint(run_dir: str, fallback: Optional[str]) -> Optional[str]:
    found = list_step_checkpoints(os.path.join(run_dir, "checkpoints"))
    if found:
        return found[-1][1]
    if fallback and os.path.isfile(fallback):
        return fallback
    return None
