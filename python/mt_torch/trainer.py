"""The training run: resume checks, the epoch/step loop, validation, checkpoints, metrics and stop.

Semantics follow packages/trainer (training-loop.ts): epoch e visits the training rows in
`epoch_order(rows, seed, e)`; step s (counted from 1) runs at noam_lr(s) with dropout seed mix_seed(seed, s);
a checkpoint stores (epoch, batches done in it, step, Adam state, running epoch-loss sums), which is the
whole state, so a resumed run continues exactly where it stopped. Only rank 0 writes files.
"""

import os
import re
import shutil
import signal
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import numpy as np
import torch
import torch.distributed as dist

from .config import TrainConfig
from .dataset import Dataset, read_dataset
from .errors import MtTorchError
from .files import (
    RNG_DATA_ORDER,
    RNG_DROPOUT,
    CHECKPOINT_FORMAT,
    Checkpoint,
    encode_model,
    list_step_checkpoints,
    newest_checkpoint,
    read_checkpoint,
    write_best_checkpoint,
    write_step_checkpoint,
)
from .hparams import PRESETS, HParams
from .model import MusicTransformer
from .params import init_params
from .run_dir import RunWriter, SystemSampler, iso_now
from .safetensors_codec import write_atomic
from .seeds import epoch_order, mix_seed
from .step import Dist, evaluate_rows, make_optimizer, noam_lr, train_step

# packages/trainer derives the initialisation seed as mixSeed(seed, 0x1417): the same seed starts from the same weights.
INIT_SEED_SALT = 0x1417


@dataclass
class Progress:
    step: int = 0
    epoch: int = 0
    batch_in_epoch: int = 0
    epoch_loss_sum: float = 0.0
    epoch_loss_count: int = 0
    loss_history: List[Dict[str, Any]] = field(default_factory=list)
    best_val_loss: Optional[float] = None
    elapsed_before: float = 0.0


def run_name_of(checkpoint: str) -> str:
    """`ckpt/piano.pt` -> `piano`, as `mt train` names runs."""
    name = re.sub(r"[^A-Za-z0-9._-]", "-", os.path.splitext(os.path.basename(checkpoint))[0])
    return name or "run"


class StopRequest:
    """SIGINT (Ctrl-C) and SIGTERM ask for a stop after the current step. Repeats are ignored: under torchrun a
    Ctrl-C reaches each worker twice (from the terminal, then forwarded by torchrun), and the second must not
    abort the checkpoint the first one asked for."""

    def __init__(self) -> None:
        self.requested = False
        self._previous = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)

    def _handle(self, signum, frame) -> None:
        self.requested = True

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def resolve_hparams(cfg: TrainConfig, data: Dataset, from_checkpoint: Optional[Dict[str, Any]]) -> HParams:
    if from_checkpoint is not None:
        return HParams.from_dict(from_checkpoint)
    values: Dict[str, Any] = dict(PRESETS[cfg.preset]) if cfg.preset else {}
    values.update(cfg.hparams)
    values["vocab_size"] = data.vocab_size
    h = HParams.from_dict(values)
    if h.max_abs_position > 0 and h.max_abs_position < data.length - 1:
        raise MtTorchError(f"max_abs_position ({h.max_abs_position}) is shorter than the dataset's {data.length - 1} input positions")
    return h


def trajectory_of(cfg: TrainConfig, where: Dist) -> Dict[str, Any]:
    """Options that change which updates are made: a resume with other values would not continue the run."""
    return {
        "engine": "torch",
        "seed": cfg.seed,
        "batchSize": cfg.batch_size,
        "microBatches": where.world * cfg.accumulate,
        "warmup": cfg.warmup,
        "labelSmoothing": cfg.label_smoothing,
        "clipNorm": cfg.clip_norm,
    }


def _diff(prefix: str, a: Dict[str, Any], b: Dict[str, Any]) -> List[str]:
    return [f"{prefix}.{k}: checkpoint {a.get(k)!r}, now {b.get(k)!r}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


class Trainer:
    def __init__(self, cfg: TrainConfig, where: Dist, device: torch.device, log=print):
        self.cfg, self.where, self.device, self.log = cfg, where, device, log
        self.rank0 = where.rank == 0
        self.data = read_dataset(cfg.data)
        if self.data.train.shape[0] == 0:
            raise MtTorchError(f"{cfg.data} has no training rows")
        self.name = cfg.name or run_name_of(cfg.checkpoint)
        if not re.fullmatch(r"[A-Za-z0-9._-]+", self.name):
            raise MtTorchError(f"--name {self.name!r}: letters, digits, '.', '_' and '-' only")
        self.run_dir = os.path.abspath(os.path.join(cfg.logdir, self.name))
        self.ckpt_target = os.path.abspath(cfg.checkpoint)
        resume_path = self._check_files()
        ckpt = read_checkpoint(resume_path) if resume_path else None
        if ckpt is not None and cfg.hparams:
            self.log("-l: the checkpoint's hparams are used; the architecture flags given are ignored")
        self.h = resolve_hparams(cfg, self.data, ckpt.meta["hparams"] if ckpt else None)
        if self.h.vocab_size != self.data.vocab_size:
            raise MtTorchError(f"vocabulary mismatch: the checkpoint has vocab_size {self.h.vocab_size} but dataset {cfg.data} has {self.data.vocab_size}")
        self.trajectory = trajectory_of(cfg, where)
        if ckpt is not None:
            problems = []
            if ckpt.meta["dataset_fingerprint"] != self.data.fingerprint:
                problems.append("dataset fingerprint differs")
            problems += _diff("training", ckpt.meta.get("trajectory", {}), self.trajectory)
            if problems and not cfg.force:
                raise MtTorchError(f"refusing to resume {resume_path}: {'; '.join(problems)} (pass --force to resume anyway)")
        self.amp = torch.bfloat16 if cfg.amp == "bf16" else None
        model = MusicTransformer(self.h).to(device)
        weights = ckpt.weights if ckpt else init_params(self.h, mix_seed(cfg.seed, INIT_SEED_SALT))
        model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
        self.model = model
        self.optimizer = make_optimizer(model.parameters())
        if ckpt is not None:
            self._load_adam(ckpt)
        if where.world > 1:
            ids = [device.index] if device.type == "cuda" else None
            self.net = torch.nn.parallel.DistributedDataParallel(model, device_ids=ids)
        else:
            self.net = model
        self.progress = self._progress_from(ckpt.meta) if ckpt else Progress()
        self.resumed_from = resume_path
        self.writer = RunWriter(self.run_dir, self._config()) if self.rank0 else None
        self.sampler = SystemSampler()

    # ---- files and state -------------------------------------------------------------------------------
    def _check_files(self) -> Optional[str]:
        cfg = self.cfg
        existing = list_step_checkpoints(os.path.join(self.run_dir, "checkpoints"))
        if cfg.load_checkpoint:
            path = newest_checkpoint(self.run_dir, self.ckpt_target)
            if path is None:
                raise MtTorchError(f"cannot resume: no checkpoint in {os.path.join(self.run_dir, 'checkpoints')} and no file {cfg.checkpoint}")
            return path
        if os.path.exists(self.ckpt_target) and not cfg.force:
            raise MtTorchError(f"checkpoint file already exists: {cfg.checkpoint} (pass -l to resume from it, or --force to start over)")
        if existing:
            raise MtTorchError(f"{self.run_dir} already holds checkpoints (newest step {existing[-1][0]}); resume it with -l or pick another --name")
        if os.path.exists(self.cfg.save_path) and not cfg.force:
            raise MtTorchError(f"model file already exists: {cfg.save_path} (pass --force to overwrite it)")
        return None

    def _load_adam(self, ckpt: Checkpoint) -> None:
        t = int(ckpt.meta["adam_t"])
        if t == 0:
            return
        for name, p in self.model.named_parameters():
            self.optimizer.state[p] = {
                "step": torch.tensor(float(t)),
                "exp_avg": torch.from_numpy(ckpt.adam_m[name]).to(self.device),
                "exp_avg_sq": torch.from_numpy(ckpt.adam_v[name]).to(self.device),
            }

    @staticmethod
    def _progress_from(meta: Dict[str, Any]) -> Progress:
        return Progress(meta["step"], meta["epoch"], meta["batch_in_epoch"], meta["epoch_loss_sum"], meta["epoch_loss_count"], list(meta["loss_history"]), meta["best_val_loss"], meta["elapsed_s"])

    def _config(self) -> Dict[str, Any]:
        cfg, d = self.cfg, self.data
        training = {k: v for k, v in cfg.__dict__.items() if k not in ("hparams",)}
        training.update(engine="torch", torch_version=torch.__version__, world_size=self.where.world, device=self.device.type)
        dataset = {"path": os.path.abspath(cfg.data), "fingerprint": d.fingerprint, "length": d.length, "train_rows": int(d.train.shape[0]), "validation_rows": int(d.validation.shape[0])}
        return {"name": self.name, "hparams": self.h.to_dict(), "training": training, "dataset": dataset}

    def state(self) -> Dict[str, Dict[str, np.ndarray]]:
        weights, m, v = {}, {}, {}
        for name, p in self.model.named_parameters():
            weights[name] = p.detach().float().cpu().numpy().copy()
            st = self.optimizer.state.get(p, {})
            m[name] = st["exp_avg"].cpu().numpy().copy() if "exp_avg" in st else np.zeros_like(weights[name])
            v[name] = st["exp_avg_sq"].cpu().numpy().copy() if "exp_avg_sq" in st else np.zeros_like(weights[name])
        return {"weights": weights, "m": m, "v": v}

    def adam_t(self) -> int:
        st = self.optimizer.state.get(next(self.model.parameters()), {})
        return int(float(st["step"])) if "step" in st else 0

    def snapshot(self) -> Checkpoint:
        p, cfg = self.progress, self.cfg
        meta = {
            "format": CHECKPOINT_FORMAT,
            "version": 1,
            "step": p.step,
            "epoch": p.epoch,
            "batch_in_epoch": p.batch_in_epoch,
            "rng": {"seed": cfg.seed, "data_order": RNG_DATA_ORDER, "dropout": RNG_DROPOUT},
            "schedule": {"kind": "transformer", "d_model": self.h.d_model, "warmup": cfg.warmup, "next_step": p.step + 1},
            "adam_t": self.adam_t(),
            "hparams": self.h.to_dict(),
            "trajectory": self.trajectory,
            "dataset_fingerprint": self.data.fingerprint,
            "loss_history": p.loss_history,
            "best_val_loss": p.best_val_loss,
            "epoch_loss_sum": p.epoch_loss_sum,
            "epoch_loss_count": p.epoch_loss_count,
            "elapsed_s": p.elapsed_before + self.elapsed(),
            "created": iso_now(),
        }
        s = self.state()
        return Checkpoint(meta, s["weights"], s["m"], s["v"])

    def checkpoint(self) -> None:
        self.last_checkpoint_step = self.progress.step
        self.last_checkpoint_time = time.monotonic()
        if not self.rank0:
            return
        path = write_step_checkpoint(self.writer.checkpoints_dir, self.snapshot(), self.cfg.keep_last)
        # The <checkpoint> argument mirrors the newest step checkpoint, as `mt train` keeps it.
        tmp = f"{self.ckpt_target}.{os.getpid()}.tmp"
        os.makedirs(os.path.dirname(self.ckpt_target), exist_ok=True)
        shutil.copyfile(path, tmp)
        os.replace(tmp, self.ckpt_target)
        self.last_checkpoint = path
        p = self.progress
        self.writer.append({"type": "checkpoint", "step": p.step, "epoch": p.epoch, "path": os.path.relpath(path, self.run_dir), "best": False})

    def validate(self) -> Optional[float]:
        d = self.data
        if d.validation.shape[0] == 0:
            return None
        micro = max(1, -(-self.cfg.batch_size // (self.where.world * self.cfg.accumulate)))
        nll, tokens, correct = evaluate_rows(self.model, d.validation, d.pad, micro, self.amp, self.where)
        if tokens == 0:
            return None
        loss = nll / tokens
        p = self.progress
        self.last_validation = {"loss": loss, "tokens": tokens, "accuracy": correct / tokens}
        if self.rank0:
            self.writer.append({"type": "validation", "step": p.step, "epoch": p.epoch, "val_loss": loss, "val_accuracy": correct / tokens, "val_perplexity": float(np.exp(loss))})
            self.log(f"validation at step {p.step}: loss {loss:.4f} over {tokens} tokens")
        if np.isfinite(loss) and (p.best_val_loss is None or loss < p.best_val_loss):
            p.best_val_loss = loss
            if self.rank0:
                path = write_best_checkpoint(self.writer.checkpoints_dir, self.snapshot())
                self.writer.append({"type": "checkpoint", "step": p.step, "epoch": p.epoch, "path": os.path.relpath(path, self.run_dir), "best": True})
        return loss

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    # ---- the loop --------------------------------------------------------------------------------------
    def run(self) -> Dict[str, Any]:
        cfg, d, p = self.cfg, self.data, self.progress
        self.start = time.monotonic()
        self.last_checkpoint_time = self.start
        self.last_checkpoint_step = -1
        self.last_checkpoint = self.resumed_from
        self.last_validation = None
        last_system = self.start
        stop = StopRequest()
        rows = d.train.shape[0]
        per_epoch = -(-rows // cfg.batch_size)
        planned = min(cfg.max_steps or float("inf"), cfg.epochs * per_epoch - p.batch_in_epoch)
        steps_now = 0
        window = dict(loss=0.0, tokens=0, correct=0, grad_norm=0.0, steps=0, positions=0, seconds=0.0)
        if self.rank0:
            message = f"resumed from {os.path.relpath(self.resumed_from, self.run_dir)} at step {p.step} (epoch {p.epoch}, batch {p.batch_in_epoch})" if self.resumed_from else "started"
            self.writer.append({"type": "status", "status": "running", "pid": os.getpid(), "message": message})
            self.log(f"{'resuming' if self.resumed_from else 'training'} run {self.run_dir} on {rows} rows ({per_epoch} steps per epoch), {self.where.world} process(es) on {self.device.type}")
        stop_reason = None
        epochs_run = 0
        try:
            while epochs_run < cfg.epochs and stop_reason is None:
                order = epoch_order(rows, cfg.seed, p.epoch)
                while p.batch_in_epoch < per_epoch:
                    if cfg.max_steps is not None and steps_now >= cfg.max_steps:
                        stop_reason = f"max steps ({cfg.max_steps}) reached"
                        break
                    start = p.batch_in_epoch * cfg.batch_size
                    batch = d.train[order[start : min(start + cfg.batch_size, rows)]]
                    lr = noam_lr(p.step + 1, self.h.d_model, cfg.warmup)
                    t0 = time.perf_counter()
                    try:
                        r, stop_now = train_step(
                            self.net, self.optimizer, batch, lr=lr, pad=d.pad, dropout_seed=mix_seed(cfg.seed, p.step + 1),
                            accumulate=cfg.accumulate, clip_norm=cfg.clip_norm, label_smoothing=cfg.label_smoothing,
                            amp_dtype=self.amp, stop_flag=stop.requested, where=self.where,
                        )
                    except (FloatingPointError, ValueError) as e:
                        raise MtTorchError(f"step {p.step + 1} (epoch {p.epoch}): {e}; the last good checkpoint is {self.last_checkpoint or '(none)'}") from None
                    seconds = time.perf_counter() - t0
                    if not np.isfinite(r.loss):
                        raise MtTorchError(f"non-finite loss ({r.loss}) at step {p.step + 1}, epoch {p.epoch}; the last good checkpoint is {self.last_checkpoint or '(none)'}; try a longer warmup or --clip-norm")
                    p.step += 1
                    p.batch_in_epoch += 1
                    p.epoch_loss_sum += r.loss
                    p.epoch_loss_count += 1
                    steps_now += 1
                    w = window
                    w["loss"] += r.loss * r.tokens
                    w["tokens"] += r.tokens
                    w["correct"] += r.correct
                    w["grad_norm"] += r.grad_norm
                    w["steps"] += 1
                    w["positions"] += batch.shape[0] * (d.length - 1)
                    w["seconds"] += seconds
                    if p.step % cfg.log_every == 0:
                        if self.rank0:
                            loss = w["loss"] / w["tokens"]
                            elapsed = self.elapsed()
                            self.writer.append({
                                "type": "train", "step": p.step, "epoch": p.epoch, "loss": loss, "accuracy": w["correct"] / w["tokens"],
                                "perplexity": float(np.exp(loss)), "lr": lr, "grad_norm": w["grad_norm"] / w["steps"],
                                "tokens_per_s": w["positions"] / w["seconds"] if w["seconds"] > 0 else 0.0,
                                "elapsed_s": p.elapsed_before + elapsed, "eta_s": max(0, planned - steps_now) * elapsed / steps_now,
                            })
                        window = dict(loss=0.0, tokens=0, correct=0, grad_norm=0.0, steps=0, positions=0, seconds=0.0)
                    if stop_now:
                        stop_reason = "stopped by signal"
                        break
                    if cfg.validate_every > 0 and p.step % cfg.validate_every == 0:
                        self.validate()
                    minutes = (time.monotonic() - self.last_checkpoint_time) / 60
                    if p.step % cfg.checkpoint_every == 0 or minutes >= cfg.checkpoint_minutes:
                        self.checkpoint()
                    if self.rank0 and time.monotonic() - last_system >= cfg.system_every:
                        last_system = time.monotonic()
                        self.writer.append(self.sampler.sample())
                if stop_reason is not None:
                    break
                val = self.validate()
                p.loss_history.append({"epoch": p.epoch, "train_loss": p.epoch_loss_sum / p.epoch_loss_count if p.epoch_loss_count else None, "val_loss": val})
                p.epoch += 1
                p.batch_in_epoch = 0
                p.epoch_loss_sum = 0.0
                p.epoch_loss_count = 0
                epochs_run += 1
                self.checkpoint()
        except BaseException as e:
            if self.rank0:
                self.writer.append({"type": "status", "status": "failed", "pid": os.getpid(), "message": str(e) or type(e).__name__})
            raise
        finally:
            stop.restore()
        stopped = stop_reason == "stopped by signal"
        if stop_reason is not None and self.last_checkpoint_step != p.step:
            self.checkpoint()
        if self.rank0:
            weights = self.state()["weights"]
            meta = {"vocab": _json(self.data.meta["vocab"]), "step": str(p.step), "epoch": str(p.epoch), "run": self.name}
            write_atomic(os.path.abspath(cfg.save_path), encode_model(self.h, weights, meta))
            message = f"stopped at step {p.step}; resume with the same command and -l" if stopped else f"finished at step {p.step}" + (f" ({stop_reason})" if stop_reason else "")
            self.writer.append({"type": "status", "status": "stopped" if stopped else "finished", "pid": os.getpid(), "message": message})
            self.log(message)
            self.log(f"model written to {os.path.abspath(cfg.save_path)}; checkpoint {cfg.checkpoint}; run directory {self.run_dir}")
        return {
            "status": "stopped" if stopped else "finished",
            "run_dir": self.run_dir,
            "step": p.step,
            "epoch": p.epoch,
            "steps_this_session": steps_now,
            "checkpoint": self.ckpt_target,
            "model": os.path.abspath(cfg.save_path),
            "best_val_loss": p.best_val_loss,
            "validation": self.last_validation,
            "world_size": self.where.world,
        }


def _json(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


def setup(cfg: TrainConfig):
    """(Dist, device): joins torchrun's process group when launched by torchrun (gloo on CPU, nccl on CUDA)."""
    want_cuda = cfg.device == "cuda" or (cfg.device == "auto" and torch.cuda.is_available())
    if want_cuda and not torch.cuda.is_available():
        raise MtTorchError("--device cuda: torch sees no CUDA device")
    launched = "RANK" in os.environ and "WORLD_SIZE" in os.environ
    if want_cuda:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    else:
        device = torch.device("cpu")
    if launched and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if want_cuda else "gloo")
    return Dist.current(), device
