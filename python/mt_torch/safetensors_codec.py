"""A small safetensors codec (numpy arrays in, numpy arrays out), so the package needs torch and numpy only.

Layout: 8-byte little-endian header length, a JSON header (dtype, shape, data_offsets per tensor, and an
optional `__metadata__` map of strings) padded with spaces to a multiple of 8, then the raw little-endian
tensor bytes. The same layout as the TypeScript packages and the `safetensors` package write.
"""

import json
import os
import struct
from typing import Dict, Mapping, Optional, Tuple

import numpy as np

from .errors import MtTorchError

_DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U64": np.dtype("<u8"),
    "U32": np.dtype("<u4"),
    "U16": np.dtype("<u2"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
_NAMES = {v: k for k, v in _DTYPES.items()}
# A header larger than this is refused rather than parsed (the files here have headers of a few kB).
_MAX_HEADER = 100 * 1024 * 1024


def encode(tensors: Mapping[str, np.ndarray], metadata: Optional[Mapping[str, str]] = None) -> bytes:
    """Tensors in the given order; metadata values must be strings (JSON goes in as text)."""
    header: Dict[str, object] = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(v, str):
                raise MtTorchError(f"safetensors metadata '{k}' must be a string, got {type(v).__name__}")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, array in tensors.items():
        a = np.ascontiguousarray(array)
        key = _NAMES.get(np.dtype(a.dtype.str.replace(">", "<")))
        if key is None:
            raise MtTorchError(f"safetensors: tensor '{name}' has unsupported dtype {a.dtype}")
        raw = a.astype(_DTYPES[key], copy=False).tobytes()
        header[name] = {"dtype": key, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (len(text) + 8) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def decode(data: bytes, file_name: str = "<buffer>") -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    """(tensors by name, metadata). Refuses a truncated or malformed file with one message naming it."""
    if len(data) < 8:
        raise MtTorchError(f"{file_name}: not a safetensors file ({len(data)} bytes)")
    (length,) = struct.unpack("<Q", data[:8])
    if length == 0 or length > _MAX_HEADER or 8 + length > len(data):
        raise MtTorchError(f"{file_name}: not a safetensors file (header length {length}, file {len(data)} bytes)")
    try:
        header = json.loads(data[8 : 8 + length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise MtTorchError(f"{file_name}: safetensors header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise MtTorchError(f"{file_name}: safetensors header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    body = memoryview(data)[8 + length :]
    tensors: Dict[str, np.ndarray] = {}
    for name, info in header.items():
        try:
            dtype = _DTYPES[info["dtype"]]
            shape = tuple(int(s) for s in info["shape"])
            start, end = (int(x) for x in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise MtTorchError(f"{file_name}: tensor '{name}' has a malformed header entry") from None
        count = int(np.prod(shape)) if shape else 1
        if not (0 <= start <= end <= len(body)) or end - start != count * dtype.itemsize:
            raise MtTorchError(f"{file_name}: tensor '{name}' data [{start}, {end}) does not fit {info['dtype']} {list(shape)}")
        tensors[name] = np.frombuffer(body[start:end], dtype=dtype).reshape(shape).copy()
    return tensors, {str(k): str(v) for k, v in metadata.items()}


def read(path: str, what: str = "file") -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise MtTorchError(f"cannot read {what} {path}: {e.strerror}") from None
    return decode(data, path)


def write_atomic(path: str, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: readers never see a half-written file."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
