"""Reads a trainer dataset file with numpy only (no `safetensors` package needed) and prints a summary.

The safetensors layout: 8-byte little-endian header size N, N bytes of JSON header, then raw data.
With the `safetensors` package the same is three lines (see README "Dataset format").
Usage: python3 read_dataset.py data.safetensors
"""
import json
import struct
import sys

import numpy as np

path = sys.argv[1]
with open(path, "rb") as f:
    raw = f.read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8 : 8 + n])
meta = json.loads(header["__metadata__"]["dataset"])
out = {}
for name in ("train", "validation"):
    e = header[name]
    assert e["dtype"] == "U16", e
    begin, end = e["data_offsets"]
    arr = np.frombuffer(raw[8 + n + begin : 8 + n + end], dtype="<u2").reshape(e["shape"])
    out[name] = {"shape": list(arr.shape), "max": int(arr.max()), "first": arr[0, :4].tolist()}
out["length"] = meta["length"]
out["files"] = len(meta["files"])
print(json.dumps(out))
