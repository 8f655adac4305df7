"""Training configuration as data, and the command line that fills it (the `mt train` flags that apply).

    torchrun --nproc_per_node N -m mt_torch.train <data> <checkpoint> <save-path> <epochs> [flags]

The original project's short flags (-bs -w -d -nl -nh -dff -mrd -map -nb -dr -le) work as in `mt train`.
"""

import argparse
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from .errors import MtTorchError
from .hparams import PRESETS


@dataclass(frozen=True)
class TrainConfig:
    data: str
    checkpoint: str
    save_path: str
    epochs: int
    load_checkpoint: bool = False
    batch_size: int = 32
    warmup: int = 2000
    preset: Optional[str] = None
    # Architecture values given explicitly (hparams names); the rest come from the preset or the defaults.
    hparams: Dict[str, Any] = field(default_factory=dict)
    accumulate: int = 1
    label_smoothing: float = 0.0
    clip_norm: Optional[float] = None
    checkpoint_every: int = 500
    checkpoint_minutes: float = 10.0
    keep_last: int = 3
    logdir: str = "runs"
    name: Optional[str] = None
    seed: int = 1
    max_steps: Optional[int] = None
    validate_every: int = 0
    log_every: int = 1
    system_every: float = 15.0
    force: bool = False
    amp: str = "none"  # "bf16": autocast to bfloat16 (for GPUs)
    device: str = "auto"  # auto = cuda when available, else cpu


# The original's multi-letter short flags, mapped to long ones before argparse sees them (as `mt train`).
LEGACY = {"-bs": "--batch-size", "-nl": "--num-layers", "-nh": "--num-heads", "-dff": "--d-feedforward", "-mrd": "--max-rel-dist", "-map": "--max-abs-position", "-nb": "--no-bias", "-dr": "--dropout", "-le": "--layernorm-eps"}
HPARAM_FLAGS = {"d_model": "d_model", "num_layers": "num_layers", "num_heads": "num_heads", "d_feedforward": "d_ff", "max_rel_dist": "max_rel_dist", "max_abs_position": "max_abs_position", "dropout": "dropout", "layernorm_eps": "layernorm_eps", "norm": "norm"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line, as `mt`
        self.exit(2, f"{self.prog}: {message}\n")


def _positive(kind):
    def parse(text: str):
        try:
            v = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not v > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return v

    return parse


def _non_negative_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return v


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m mt_torch.train", description="Train a Music Transformer with PyTorch (DDP under torchrun) on a dataset written by `mt preprocess`; writes models, checkpoints and a run directory that `mt` reads. Ctrl-C saves a checkpoint; -l resumes.")
    p.add_argument("data", help="dataset file (.safetensors from mt preprocess)")
    p.add_argument("checkpoint", help="checkpoint file kept up to date during training (resume from it with -l)")
    p.add_argument("save_path", help="model file written when training ends or is interrupted")
    p.add_argument("epochs", type=_positive(int), help="epochs to run in this call (a resumed partial epoch counts as one)")
    p.add_argument("-l", "--load-checkpoint", action="store_true", help="resume from the run directory, or from <checkpoint>")
    p.add_argument("--batch-size", type=_positive(int), default=32, help="rows per optimizer step, over all ranks (-bs)")
    p.add_argument("-w", "--warmup-steps", type=_positive(int), default=2000, dest="warmup", help="learning-rate warmup steps")
    p.add_argument("-d", "--d-model", type=_positive(int), help="model width (default 128)")
    p.add_argument("--num-layers", type=_positive(int), help="decoder layers (default 3) (-nl)")
    p.add_argument("--num-heads", type=_positive(int), help="attention heads (default 8) (-nh)")
    p.add_argument("--d-feedforward", type=_positive(int), help="feed-forward width (default 512) (-dff)")
    p.add_argument("--max-rel-dist", type=_non_negative_int, help="relative attention distances (default 1024; 0 = plain attention) (-mrd)")
    p.add_argument("--max-abs-position", type=_non_negative_int, help="absolute position table length (default 0 = none) (-map)")
    p.add_argument("--no-bias", action="store_true", help="no bias in the q/k/v and feed-forward layers (-nb)")
    p.add_argument("--dropout", type=float, help="dropout rate (default 0.1) (-dr)")
    p.add_argument("--layernorm-eps", type=_positive(float), help="layer norm epsilon (default 1e-6) (-le)")
    p.add_argument("--preset", choices=sorted(PRESETS), help="hparams preset; the flags above override it")
    p.add_argument("--norm", choices=["pre", "post"], help="layer norm placement (default pre)")
    p.add_argument("--accumulate", type=_positive(int), default=1, help="micro-batches per rank and step (gradient accumulation)")
    p.add_argument("--label-smoothing", type=float, default=0.0, help="label smoothing of the training loss")
    p.add_argument("--clip-norm", type=_positive(float), help="clip the global gradient norm (default: no clipping)")
    p.add_argument("--checkpoint-every", type=_positive(int), default=500, help="also checkpoint every n steps (always at epoch end and on Ctrl-C)")
    p.add_argument("--checkpoint-minutes", type=_positive(float), default=10.0, help="also checkpoint every m minutes")
    p.add_argument("--logdir", default="runs", help="parent folder of run directories (read by mt dashboard)")
    p.add_argument("--name", help="run name (default: the checkpoint file name without extension)")
    p.add_argument("--seed", type=int, default=1, help="seed of initialisation, data order and dropout")
    p.add_argument("--max-steps", type=_positive(int), help="stop after n optimizer steps in this call")
    p.add_argument("--validate-every", type=_non_negative_int, default=0, help="also validate every n steps (0: only at epoch end)")
    p.add_argument("--log-every", type=_positive(int), default=1, help="write a metrics record every n steps")
    p.add_argument("-f", "--force", action="store_true", help="overwrite an existing checkpoint/model file; with -l, resume even if the dataset or options changed")
    p.add_argument("--amp", choices=["none", "bf16"], default="none", help="bf16 autocast (for GPUs; fp32 master weights and loss)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="auto = cuda when available")
    return p


def parse_args(argv: List[str]) -> TrainConfig:
    argv = [LEGACY.get(a, a) for a in argv]
    a = parser().parse_args(argv)
    if not 0 <= a.label_smoothing < 1:
        raise MtTorchError(f"--label-smoothing must be in [0, 1), got {a.label_smoothing}")
    if a.dropout is not None and not 0 <= a.dropout < 1:
        raise MtTorchError(f"--dropout must be in [0, 1), got {a.dropout}")
    hparams = {key: getattr(a, flag) for flag, key in HPARAM_FLAGS.items() if getattr(a, flag) is not None}
    if a.no_bias:
        hparams["bias"] = False
    return TrainConfig(
        data=a.data, checkpoint=a.checkpoint, save_path=a.save_path, epochs=a.epochs, load_checkpoint=a.load_checkpoint,
        batch_size=a.batch_size, warmup=a.warmup, preset=a.preset, hparams=hparams, accumulate=a.accumulate,
        label_smoothing=a.label_smoothing, clip_norm=a.clip_norm, checkpoint_every=a.checkpoint_every,
        checkpoint_minutes=a.checkpoint_minutes, logdir=a.logdir, name=a.name, seed=a.seed, max_steps=a.max_steps,
        validate_every=a.validate_every, log_every=a.log_every, force=a.force, amp=a.amp, device=a.device,
    )
