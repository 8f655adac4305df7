"""Exact resume: a run stopped (max steps, or SIGINT) and resumed with -l ends with the same weights, bit for
bit, as the run done in one go; the files it writes are read by the TypeScript packages."""

import json
import os
import signal
import subprocess
import time

import numpy as np

from helpers import train_cmd, train_env, ts
from mt_torch.files import read_checkpoint, read_model

FLAGS = ["--preset", "tiny", "-bs", "8", "-w", "50", "--seed", "4", "--clip-norm", "1", "--label-smoothing", "0.1"]


def train(cwd, name, *extra, check=True):
    r = subprocess.run(train_cmd(DATA[0], f"{name}.safetensors", f"{name}-model.safetensors", *extra, *FLAGS), cwd=cwd, env=train_env(), capture_output=True, text=True)
    if check:
        assert r.returncode == 0, r.stderr
    return r


DATA = [""]


def weights(path):
    return read_model(path)[1]


def assert_identical(a, b):
    wa, wb = weights(a), weights(b)
    for k in wa:
        assert np.array_equal(wa[k], wb[k]), k


def train_losses(run_dir):
    out = {}
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "train":
                out[r["step"]] = r["loss"]
    return out


def test_resume_after_max_steps_is_exact(dataset, tmp_path):
    DATA[0] = dataset
    cwd = str(tmp_path)
    # 13 steps per epoch: 2 epochs cross an epoch end (validation, new data order) in the resumed part.
    train(cwd, "whole", "2", "--max-steps", "20")
    train(cwd, "split", "2", "--max-steps", "9")
    r = train(cwd, "split", "2", "-l", "--max-steps", "11")
    assert json.loads(r.stdout.strip().splitlines()[-1])["step"] == 20
    assert_identical(os.path.join(cwd, "whole-model.safetensors"), os.path.join(cwd, "split-model.safetensors"))
    a, b = train_losses(os.path.join(cwd, "runs", "whole")), train_losses(os.path.join(cwd, "runs", "split"))
    assert sorted(b) == list(range(1, 21)) and all(a[s] == b[s] for s in a)
    # The TypeScript readers accept the torch run and checkpoint (the dashboard and `mt` use them).
    meta = json.loads(ts("check-checkpoint", os.path.join(cwd, "split.safetensors")))
    assert meta["step"] == 20 and meta["adam_t"] == 20 and meta["epoch"] == 1
    run = json.loads(ts("check-run", os.path.join(cwd, "runs", "split")))
    assert run["skipped"] == [] and run["summary"]["status"] == "finished"
    kinds = {r["type"] for r in run["records"]}
    assert {"status", "train", "validation", "checkpoint"} <= kinds


def test_sigint_saves_a_checkpoint_and_the_resumed_run_is_exact(dataset, tmp_path):
    DATA[0] = dataset
    cwd = str(tmp_path)
    child = subprocess.Popen(train_cmd(dataset, "stop.safetensors", "stop-model.safetensors", "30", *FLAGS), cwd=cwd, env=train_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    metrics = os.path.join(cwd, "runs", "stop", "metrics.jsonl")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if os.path.exists(metrics) and sum(1 for line in open(metrics) if '"type":"train"' in line) >= 3:
            break
        time.sleep(0.05)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["status"] == "stopped"
    stopped_at = result["step"]
    assert 3 <= stopped_at < 30 * 13
    assert read_checkpoint(os.path.join(cwd, "stop.safetensors")).meta["step"] == stopped_at
    last = json.loads(open(metrics).read().strip().splitlines()[-1])
    assert last["type"] == "status" and last["status"] == "stopped"
    train(cwd, "stop", "30", "-l", "--max-steps", "5")
    train(cwd, "straight", "30", "--max-steps", str(stopped_at + 5))
    assert_identical(os.path.join(cwd, "straight-model.safetensors"), os.path.join(cwd, "stop-model.safetensors"))


def test_refuses_to_resume_with_other_training_options(dataset, tmp_path):
    DATA[0] = dataset
    cwd = str(tmp_path)
    train(cwd, "opts", "1", "--max-steps", "2")
    r = subprocess.run(train_cmd(dataset, "opts.safetensors", "opts-model.safetensors", "1", "-l", *FLAGS[:-2]), cwd=cwd, env=train_env(), capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "labelSmoothing" in r.stderr and "Traceback" not in r.stderr
