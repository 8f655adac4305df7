"""Parameter names, shapes and initialisation of packages/model params.ts, in the same order.

`init_params(h, seed)` draws the same numbers as the TypeScript `initParams` (a splitmix stream per
(seed, parameter name); Glorot uniform for Linear weights, N(0, d^-0.5) for the token embedding,
N(0, depth^-0.5) for E, zeros/ones for biases and LayerNorm), so `mt train` and this trainer start from
the same weights for the same seed (up to the last bit of float64 log/cos, rounded away in float32).
"""

import math
from typing import Dict, List, Tuple

import numpy as np

from .hparams import HParams

# (name, shape, init) with init = ("glorot", fan_in, fan_out) | ("normal", std) | ("const", value)
Spec = Tuple[str, Tuple[int, ...], tuple]


def _linear(name: str, n_in: int, n_out: int, bias: bool) -> List[Spec]:
    out: List[Spec] = [(f"{name}.weight", (n_out, n_in), ("glorot", n_in, n_out))]
    if bias:
        out.append((f"{name}.bias", (n_out,), ("const", 0.0)))
    return out


def _norm(name: str, d: int) -> List[Spec]:
    return [(f"{name}.weight", (d,), ("const", 1.0)), (f"{name}.bias", (d,), ("const", 0.0))]


def param_specs(h: HParams) -> List[Spec]:
    d = h.d_model
    specs: List[Spec] = [("input_embedding.weight", (h.vocab_size, d), ("normal", d ** -0.5))]
    for i in range(h.num_layers):
        p = f"decoder.layers.{i}"
        for w in ("wq", "wk", "wv"):
            specs += _linear(f"{p}.self_attn.{w}", d, d, h.bias)
        if h.max_rel_dist > 0:
            specs.append((f"{p}.self_attn.E.weight", (h.max_rel_dist, d), ("normal", h.depth ** -0.5)))
        specs += _linear(f"{p}.self_attn.wo", d, d, True)
        specs += _linear(f"{p}.ffn.main.0", d, h.d_ff, h.bias)
        specs += _linear(f"{p}.ffn.main.2", h.d_ff, d, h.bias)
        specs += _norm(f"{p}.layernorm1", d) + _norm(f"{p}.layernorm2", d)
    specs += _norm("decoder.norm", d) + _linear("final", d, h.vocab_size, True)
    return specs


def _stream(seed: int, name: str, count: int) -> np.ndarray:
    """`count` draws in (0, 1) of params.ts streamFor(seed, name), vectorised (uint64 math, masked to 32 bits)."""
    m = np.uint64(0xFFFFFFFF)
    h = (seed & 0xFFFFFFFF) ^ 0x9E3779B9
    for ch in name:
        h = (((h ^ ord(ch)) & 0xFFFFFFFF) * 0x01000193) & 0xFFFFFFFF
    k = np.arange(1, count + 1, dtype=np.uint64)
    z = (np.uint64(h) + k * np.uint64(0x9E3779B9)) & m
    z = ((z ^ (z >> np.uint64(16))) * np.uint64(0x85EBCA6B)) & m
    z = ((z ^ (z >> np.uint64(13))) * np.uint64(0xC2B2AE35)) & m
    z = (z ^ (z >> np.uint64(16))) & m
    return (z.astype(np.float64) + 0.5) / 4294967296.0


def init_params(h: HParams, seed: int) -> Dict[str, np.ndarray]:
    out: Dict[str, np.ndarray] = {}
    for name, shape, init in param_specs(h):
        size = int(np.prod(shape))
        if init[0] == "const":
            values = np.full(size, init[1], dtype=np.float64)
        elif init[0] == "glorot":
            limit = math.sqrt(6 / (init[1] + init[2]))
            values = (2 * _stream(seed, name, size) - 1) * limit
        else:
            u = _stream(seed, name, 2 * size)
            values = init[1] * np.sqrt(-2 * np.log(u[0::2])) * np.cos(2 * math.pi * u[1::2])
        out[name] = values.astype(np.float32).reshape(shape)
    return out
