"""The codecs and ports against the TypeScript side: safetensors, presets, data order; and bad input."""

import json
import os
import subprocess

import numpy as np
import pytest

from helpers import node_available, train_cmd, train_env, ts
from mt_torch.dataset import read_dataset
from mt_torch.errors import MtTorchError
from mt_torch.hparams import PRESETS, HParams
from mt_torch.safetensors_codec import decode, encode
from mt_torch.seeds import epoch_order

needs_node = pytest.mark.skipif(not node_available(), reason="packages are not built (pnpm build)")


def test_safetensors_round_trip_keeps_dtypes_shapes_and_metadata():
    tensors = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.array([1, 65535], dtype=np.uint16), "c": np.zeros((0, 4), dtype=np.int32)}
    back, meta = decode(encode(tensors, {"k": "v"}))
    assert meta == {"k": "v"}
    for k, v in tensors.items():
        assert back[k].dtype == v.dtype and back[k].shape == v.shape and np.array_equal(back[k], v)


@pytest.mark.parametrize("data", [b"", b"\x01\x00\x00\x00\x00\x00\x00\x00{", b"\x08\x00\x00\x00\x00\x00\x00\x00not json", encode({"a": np.zeros(4, np.float32)})[:-1]])
def test_malformed_safetensors_are_one_clear_error(data):
    with pytest.raises(MtTorchError, match="x.safetensors"):
        decode(data, "x.safetensors")


@needs_node
def test_presets_are_the_typescript_presets():
    ts_presets = json.loads(ts("presets"))
    for name, values in PRESETS.items():
        mine = HParams.from_dict(values).to_dict()
        theirs = ts_presets[name]
        # norm defaults differ by design (pre here); every architecture number is the same.
        assert {k: v for k, v in mine.items() if k != "norm"} == {k: v for k, v in theirs.items() if k != "norm"}, name


@needs_node
@pytest.mark.parametrize("rows,seed,epoch", [(1, 1, 0), (101, 1, 0), (1000, 4, 3), (77, -5, 12), (300, 2**40 + 3, 1)])
def test_epoch_order_is_the_trainer_order(rows, seed, epoch):
    assert epoch_order(rows, seed, epoch).tolist() == json.loads(ts("order", str(rows), str(seed), str(epoch)))


def test_reads_a_dataset_written_by_mt_preprocess(dataset):
    d = read_dataset(dataset)
    assert d.train.dtype == np.uint16 and d.train.shape[1] == d.length == 64
    assert d.train.shape[0] == d.meta["counts"]["train_rows"] and d.validation.shape[0] == d.meta["counts"]["validation_rows"]
    assert len(set(d.train[:, 0].tolist())) == 1 and d.train[0, 0] != d.pad  # <start> opens every row


def test_bad_dataset_is_one_line_naming_the_file(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(encode({"train": np.zeros((2, 8), np.uint16)}, {"format": "x"}))
    for path in (str(bad), str(tmp_path / "missing.safetensors")):
        r = subprocess.run(train_cmd(path, "c.safetensors", "m.safetensors", "1"), cwd=str(tmp_path), env=train_env(), capture_output=True, text=True)
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and os.path.basename(path) in r.stderr and "Traceback" not in r.stderr


def test_usage_errors_exit_2(tmp_path):
    r = subprocess.run(train_cmd("d", "c", "m", "0"), cwd=str(tmp_path), env=train_env(), capture_output=True, text=True)
    assert r.returncode == 2 and "epochs" in r.stderr
