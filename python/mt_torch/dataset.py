"""Reader of `mt preprocess` dataset files (packages/trainer dataset-file.ts).

A dataset file is safetensors with `train` and `validation` (U16 [rows, length], pad right, `<start>` first)
and JSON metadata under `__metadata__.dataset` (format "music-transformer/dataset", version 1, the vocabulary
config, vocab_size, pad id, row length, the per-file split and the counts). The split into train and
validation rows is fixed by the file: whole source files go to one side.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Dict

import numpy as np

from .errors import MtTorchError
from .safetensors_codec import decode

FORMAT = "music-transformer/dataset"


@dataclass
class Dataset:
    path: str
    meta: Dict[str, Any]
    train: np.ndarray  # uint16 [rows, length]
    validation: np.ndarray  # uint16 [rows, length]
    # sha256 of the file bytes, as packages/trainer records it in checkpoints (a resume on other data is refused).
    fingerprint: str

    @property
    def length(self) -> int:
        return int(self.meta["length"])

    @property
    def pad(self) -> int:
        return int(self.meta["pad"])

    @property
    def vocab_size(self) -> int:
        return int(self.meta["vocab_size"])


def read_dataset(path: str) -> Dataset:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise MtTorchError(f"cannot read dataset {path}: {e.strerror}") from None
    tensors, metadata = decode(data, path)
    if "dataset" not in metadata:
        raise MtTorchError(f"{path} has no __metadata__.dataset: not a dataset written by mt preprocess")
    try:
        meta = json.loads(metadata["dataset"])
    except json.JSONDecodeError as e:
        raise MtTorchError(f"{path}: dataset metadata is not JSON ({e})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or meta.get("version") != 1:
        raise MtTorchError(f"{path}: dataset metadata is not {FORMAT} version 1")
    for key in ("vocab_size", "pad", "length"):
        if not isinstance(meta.get(key), int):
            raise MtTorchError(f"{path}: dataset metadata has no integer '{key}'")
    length, vocab = meta["length"], meta["vocab_size"]
    parts = {}
    for name in ("train", "validation"):
        t = tensors.get(name)
        if t is None or t.dtype != np.uint16 or t.ndim != 2 or t.shape[1] != length:
            raise MtTorchError(f"{path}: tensor '{name}' must be U16 [rows, {length}]")
        if t.size and int(t.max()) >= vocab:
            where = int(np.argmax(t.reshape(-1) >= vocab))
            raise MtTorchError(f"{path}: '{name}' holds token {int(t.reshape(-1)[where])} at index {where}, outside vocab size {vocab}")
        parts[name] = t
    return Dataset(path, meta, parts["train"], parts["validation"], hashlib.sha256(data).hexdigest())
