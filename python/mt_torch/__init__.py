"""PyTorch side of music-transformer: the model, the formats `mt` reads and writes, and a DDP trainer."""

from .hparams import HParams, PRESETS
from .model import MusicTransformer

__all__ = ["HParams", "PRESETS", "MusicTransformer"]
