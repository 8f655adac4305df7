"""Architecture hyperparameters with the original project's names, as packages/model's `HParams`.

The values of the presets are those of packages/model's `hparamPresets` (a test compares them with the
TypeScript ones). One difference in defaults: `norm` is "pre" here, as the original's code does.
"""

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Dict, Mapping

from .errors import MtTorchError


@dataclass(frozen=True)
class HParams:
    d_model: int = 128
    num_layers: int = 3
    num_heads: int = 8
    d_ff: int = 512
    # Rows of the relative embedding E; 0 = plain attention.
    max_rel_dist: int = 1024
    # Length of the sinusoidal absolute position table; 0 = none.
    max_abs_position: int = 0
    vocab_size: int = 416
    # False removes the bias of wq/wk/wv and the FFN linears; wo and final always keep theirs.
    bias: bool = True
    dropout: float = 0.1
    layernorm_eps: float = 1e-6
    norm: str = "pre"

    def __post_init__(self) -> None:
        ints = {"d_model": 1, "num_layers": 1, "num_heads": 1, "d_ff": 1, "max_rel_dist": 0, "max_abs_position": 0, "vocab_size": 2}
        for name, low in ints.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise MtTorchError(f"invalid hparams: {name} must be an integer >= {low}, got {v!r}")
        if not isinstance(self.bias, bool):
            raise MtTorchError(f"invalid hparams: bias must be true or false, got {self.bias!r}")
        if not (isinstance(self.dropout, (int, float)) and 0 <= self.dropout < 1):
            raise MtTorchError(f"invalid hparams: dropout must be in [0, 1), got {self.dropout!r}")
        if not (isinstance(self.layernorm_eps, (int, float)) and self.layernorm_eps > 0):
            raise MtTorchError(f"invalid hparams: layernorm_eps must be > 0, got {self.layernorm_eps!r}")
        if self.norm not in ("pre", "post"):
            raise MtTorchError(f"invalid hparams: norm must be 'pre' or 'post', got {self.norm!r}")
        if self.d_model % self.num_heads != 0:
            raise MtTorchError(f"invalid hparams: d_model ({self.d_model}) must be divisible by num_heads ({self.num_heads})")

    @staticmethod
    def from_dict(values: Mapping[str, Any]) -> "HParams":
        known = {f.name for f in dataclasses.fields(HParams)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise MtTorchError(f"invalid hparams: unknown key(s) {', '.join(unknown)}")
        v = dict(values)
        for name in ("dropout", "layernorm_eps"):
            if isinstance(v.get(name), int) and not isinstance(v.get(name), bool):
                v[name] = float(v[name])
        return HParams(**v)

    def to_dict(self) -> Dict[str, Any]:
        return dataclasses.asdict(self)

    def to_json(self) -> str:
        # Key order of packages/model's schema, so files written by either side read the same.
        return json.dumps(self.to_dict(), separators=(",", ":"))

    @property
    def depth(self) -> int:
        return self.d_model // self.num_heads


# packages/model hparamPresets (vocab_size always comes from the dataset when training).
PRESETS: Dict[str, Dict[str, Any]] = {
    "default": {},
    "large": {"d_model": 256, "num_layers": 6, "d_ff": 1024},
    "paper": {"d_model": 512, "num_layers": 6, "d_ff": 2048, "max_rel_dist": 1024},
    "tiny": {"d_model": 32, "num_layers": 2, "num_heads": 4, "d_ff": 64, "max_rel_dist": 64},
}
