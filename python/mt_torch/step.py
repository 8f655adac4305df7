"""One optimizer step with packages/trainer's semantics, data parallel over torch.distributed ranks.

- The step's rows are split into `world * accumulate` contiguous, balanced micro-batches; rank r takes
  micro-batches r*accumulate .. (r+1)*accumulate-1. Inputs are row[0..len-2], targets row[1..len-1].
- The loss is the mean over every non-pad target of the whole step (all micro-batches of all ranks): each
  rank backpropagates sum(token losses) * world / total_targets and DDP averages over ranks, which gives
  sum / total_targets exactly, whatever the split. Label smoothing as packages/model: target distribution
  (1 - eps) * onehot + eps / vocab; the reported loss stays the plain NLL.
- Global gradient L2 norm before clipping; clipped to `clip_norm` when above it (scale clip/norm).
- Adam (PyTorch's, betas 0.9/0.98, eps 1e-9, as the TypeScript engine) at the step's learning rate.
- Dropout of micro-batch i uses torch's generator seeded with micro_batch_seed(dropout_seed, i), so the
  masks depend on the seed, step and micro-batch index only (not on the rank that runs it).
"""

import contextlib
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from .seeds import micro_batch_seed

ADAM_BETAS = (0.9, 0.98)
ADAM_EPS = 1e-9


def make_optimizer(params) -> torch.optim.Adam:
    return torch.optim.Adam(params, lr=0.0, betas=ADAM_BETAS, eps=ADAM_EPS)


def partition(n: int, k: int) -> List[Tuple[int, int]]:
    """Contiguous, balanced split of n items into k parts (some may be empty): [start, end) pairs."""
    out, start = [], 0
    for i in range(k):
        size = n // k + (1 if i < n % k else 0)
        out.append((start, start + size))
        start += size
    return out


@dataclass
class StepResult:
    loss: float  # mean NLL per non-pad target of the whole step, before the update
    tokens: int
    correct: int
    grad_norm: float


@dataclass
class Dist:
    """Where this process sits: world size and rank (1 and 0 without torch.distributed)."""

    world: int = 1
    rank: int = 0

    @staticmethod
    def current() -> "Dist":
        if dist.is_available() and dist.is_initialized():
            return Dist(dist.get_world_size(), dist.get_rank())
        return Dist()


def _all_sum(t: torch.Tensor, where: Dist) -> torch.Tensor:
    if where.world > 1:
        dist.all_reduce(t, op=dist.ReduceOp.SUM)
    return t


def train_step(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    rows: np.ndarray,
    *,
    lr: float,
    pad: int,
    dropout_seed: int,
    accumulate: int = 1,
    clip_norm: Optional[float] = None,
    label_smoothing: float = 0.0,
    amp_dtype: Optional[torch.dtype] = None,
    stop_flag: bool = False,
    where: Optional[Dist] = None,
) -> Tuple[StepResult, bool]:
    """One update from the step's rows (uint16/int [batch, len], the same on every rank). `model` may be a
    DistributedDataParallel wrapper. Returns the result and whether any rank asked to stop (`stop_flag`)."""
    where = where or Dist.current()
    device = next(model.parameters()).device
    chunks = partition(rows.shape[0], where.world * accumulate)
    mine = list(range(where.rank * accumulate, (where.rank + 1) * accumulate))
    targets_all = rows[:, 1:]
    total = int((targets_all != pad).sum())
    if total == 0:
        raise ValueError(f"the step's rows hold no target other than pad ({pad})")
    model.train()
    optimizer.zero_grad(set_to_none=False)
    stats = torch.zeros(3, dtype=torch.float64)  # nll sum, correct, stop
    for j, index in enumerate(mine):
        start, end = chunks[index]
        empty = end == start
        # A rank without rows still runs one all-pad row so that DDP's gradient all-reduce happens on every rank.
        part = rows[start:end] if not empty else np.full((1, rows.shape[1]), pad, dtype=rows.dtype)
        ids = torch.from_numpy(part.astype(np.int64)).to(device)
        inputs, targets = ids[:, :-1], ids[:, 1:]
        torch.manual_seed(micro_batch_seed(dropout_seed, index))
        sync = j == len(mine) - 1 or not hasattr(model, "no_sync")
        with (contextlib.nullcontext() if sync else model.no_sync()):
            with torch.autocast(device.type, dtype=amp_dtype) if amp_dtype is not None else contextlib.nullcontext():
                logits = model(inputs)
            flat = logits.float().reshape(-1, logits.shape[-1])
            loss_sum = F.cross_entropy(flat, targets.reshape(-1), ignore_index=pad, reduction="sum", label_smoothing=label_smoothing)
            scale = 0.0 if empty else where.world / total
            (loss_sum * scale).backward()
        if not empty:
            with torch.no_grad():
                keep = targets.reshape(-1) != pad
                nll = loss_sum if label_smoothing == 0 else F.cross_entropy(flat, targets.reshape(-1), ignore_index=pad, reduction="sum")
                stats[0] += float(nll)
                stats[1] += float(((flat.argmax(-1) == targets.reshape(-1)) & keep).sum())
    stats[2] = 1.0 if stop_flag else 0.0
    stats = _all_sum(stats.to(device), where).cpu()
    params = [p for p in model.parameters() if p.grad is not None]
    norm = torch.sqrt(sum(torch.sum(p.grad.double() ** 2) for p in params)).item()
    if not np.isfinite(norm):
        raise FloatingPointError(f"gradient norm is {norm}; weights left unchanged (lower the lr?)")
    if clip_norm is not None and norm > clip_norm:
        for p in params:
            p.grad.mul_(clip_norm / norm)
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.step()
    result = StepResult(loss=float(stats[0]) / total, tokens=total, correct=int(round(float(stats[1]))), grad_norm=norm)
    return result, bool(stats[2] > 0)


@torch.no_grad()
def evaluate_rows(model: torch.nn.Module, rows: np.ndarray, pad: int, batch: int, amp_dtype: Optional[torch.dtype] = None, where: Optional[Dist] = None) -> Tuple[float, int, int]:
    """(nll sum, non-pad targets, correct) over `rows`, sharded contiguously over ranks and summed; no dropout."""
    where = where or Dist.current()
    device = next(model.parameters()).device
    start, end = partition(rows.shape[0], where.world)[where.rank]
    was_training = model.training
    model.eval()
    stats = torch.zeros(3, dtype=torch.float64)
    for at in range(start, end, batch):
        ids = torch.from_numpy(rows[at : min(at + batch, end)].astype(np.int64)).to(device)
        inputs, targets = ids[:, :-1], ids[:, 1:].reshape(-1)
        with torch.autocast(device.type, dtype=amp_dtype) if amp_dtype is not None else contextlib.nullcontext():
            logits = model(inputs)
        flat = logits.float().reshape(-1, logits.shape[-1])
        keep = targets != pad
        stats[0] += float(F.cross_entropy(flat, targets, ignore_index=pad, reduction="sum"))
        stats[1] += float(keep.sum())
        stats[2] += float(((flat.argmax(-1) == targets) & keep).sum())
    model.train(was_training)
    stats = _all_sum(stats.to(device), where).cpu()
    return float(stats[0]), int(round(float(stats[1]))), int(round(float(stats[2])))


def noam_lr(step: int, d_model: int, warmup: float) -> float:
    """packages/trainer lr-schedule.ts: d^-0.5 * min(step^-0.5, step * warmup^-1.5), step counted from 1."""
    return d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)
