"""Data parallel = one process: 2 gloo processes on CPU give the same step as 1 process with the whole batch."""

import os
import pickle
import tempfile

import numpy as np
import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from helpers import rel_diff
from mt_torch.hparams import HParams
from mt_torch.model import MusicTransformer
from mt_torch.params import init_params
from mt_torch.step import Dist, make_optimizer, train_step

H = HParams(d_model=32, num_layers=2, num_heads=4, d_ff=48, max_rel_dist=16, vocab_size=64, dropout=0.0)
STEPS = 3


def batches(seed: int = 5):
    g = np.random.default_rng(seed)
    out = []
    for _ in range(STEPS):
        rows = g.integers(1, 64, size=(7, 20)).astype(np.uint16)  # 7 rows: the ranks get 4 and 3
        rows[2, 11:] = 0
        out.append(rows)
    return out


def run(h: HParams, world: int, rank: int, accumulate: int):
    torch.set_num_threads(1)
    model = MusicTransformer(h)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in init_params(h, 3).items()})
    net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    opt = make_optimizer(model.parameters())
    losses = []
    for i, rows in enumerate(batches()):
        r, _ = train_step(net, opt, rows, lr=1e-3, pad=0, dropout_seed=100 + i, accumulate=accumulate, clip_norm=1.0, where=Dist(world, rank))
        losses.append((r.loss, r.grad_norm, r.tokens, r.correct))
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}, losses


def worker(rank: int, world: int, init_file: str, out_dir: str, dropout: float) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        state, losses = run(HParams(**{**H.to_dict(), "dropout": dropout}), world, rank, 1)
        with open(os.path.join(out_dir, f"rank{rank}.pkl"), "wb") as f:
            pickle.dump({"state": state, "losses": losses}, f)
    finally:
        dist.destroy_process_group()


def two_processes(dropout: float):
    with tempfile.TemporaryDirectory() as d:
        mp.spawn(worker, args=(2, os.path.join(d, "init"), d, dropout), nprocs=2, join=True)
        out = []
        for r in range(2):
            with open(os.path.join(d, f"rank{r}.pkl"), "rb") as f:
                out.append(pickle.load(f))
        return out


def assert_same(a_state, a_losses, b_state, b_losses, tol):
    for (la, na, ta, ca), (lb, nb, tb, cb) in zip(a_losses, b_losses):
        assert (ta, ca) == (tb, cb)
        assert abs(la - lb) / lb <= tol and abs(na - nb) / nb <= tol
    noise = [n for n in a_state if n.endswith("self_attn.wk.bias")]  # true gradient 0: see test_exact_vs_typescript
    worst = max((rel_diff(a_state[n], b_state[n]), n) for n in a_state if n not in noise)
    assert worst[0] <= tol, worst


def test_two_gloo_processes_equal_one_process_with_the_whole_batch():
    ranks = two_processes(dropout=0.0)
    assert_same(ranks[0]["state"], ranks[0]["losses"], ranks[1]["state"], ranks[1]["losses"], 0.0)  # ranks agree bit for bit
    state, losses = run(H, 1, 0, 1)
    assert_same(ranks[0]["state"], ranks[0]["losses"], state, losses, 1e-5)


def test_dropout_masks_follow_the_micro_batch_not_the_rank():
    # 2 ranks x 1 micro-batch and 1 rank x 2 micro-batches split the rows the same way and draw the same masks.
    ranks = two_processes(dropout=0.3)
    state, losses = run(HParams(**{**H.to_dict(), "dropout": 0.3}), 1, 0, 2)
    assert_same(ranks[0]["state"], ranks[0]["losses"], state, losses, 1e-5)
    other, _ = run(HParams(**{**H.to_dict(), "dropout": 0.3}), 1, 0, 1)
    assert max(rel_diff(other[n], state[n]) for n in state) > 1e-3  # a different split draws other masks
