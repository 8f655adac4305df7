"""The Music Transformer (Huang et al. 2018) in PyTorch, with packages/model's architecture and state_dict
names, so weights move between the two without conversion.

Reading order of the forward pass:
    embed * sqrt(d_model) (+ sinusoids) -> dropout -> N x [attention, FFN] (pre- or post-norm)
    -> decoder.norm -> final
Attention is relative global self-attention with the memory-saving "skew": the relative logits q.E^T
[len, len] are shifted into place with a pad, a reshape and a slice, never an O(len^2 * depth) tensor.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from .hparams import HParams

# Large negative instead of -inf: the same additive mask as packages/model (ops/causal-mask.ts).
MASKED = -1e9


def sinusoid_table(length: int, d_model: int) -> torch.Tensor:
    """Interleaved sinusoids of the original: dim k of position p is sin/cos(p / 10000^(2*floor(k/2)/d))."""
    pos = torch.arange(length, dtype=torch.float64)[:, None]
    k = torch.arange(d_model)
    angle = pos / torch.pow(torch.tensor(10000.0, dtype=torch.float64), (2 * (k // 2)).double() / d_model)
    return torch.where(k % 2 == 0, torch.sin(angle), torch.cos(angle)).float()


def skew(qe: torch.Tensor) -> torch.Tensor:
    """[..., len, len] relative logits (column r = E row, r = len-1 is distance 0) -> srel[i, j] = qe[i, len-1-(i-j)]
    for j <= i. Entries above the diagonal are junk; the causal mask removes them."""
    *lead, length, _ = qe.shape
    padded = F.pad(qe, (1, 0))  # [..., len, len + 1]
    return padded.reshape(*lead, length + 1, length)[..., 1:, :]


def relative_embeddings(e: torch.Tensor, length: int) -> torch.Tensor:
    """Rows of E for keys of `length` (row 0 = farthest): the last `length` rows, or row 0 repeated in front
    when length > max_rel_dist, so every distance >= max_rel_dist - 1 shares row 0. Returns [len, d_model]."""
    max_rel = e.shape[0]
    if length <= max_rel:
        return e[max_rel - length :]
    return torch.cat([e[:1].expand(length - max_rel, -1), e], dim=0)


class RelativeSelfAttention(nn.Module):
    def __init__(self, h: HParams):
        super().__init__()
        self.heads = h.num_heads
        self.depth = h.depth
        d = h.d_model
        self.wq = nn.Linear(d, d, bias=h.bias)
        self.wk = nn.Linear(d, d, bias=h.bias)
        self.wv = nn.Linear(d, d, bias=h.bias)
        # nn.Embedding for the original's state_dict name `E.weight` [max_rel_dist, d_model].
        self.E = nn.Embedding(h.max_rel_dist, d) if h.max_rel_dist > 0 else None
        self.wo = nn.Linear(d, d)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape
        return x.view(batch, length, self.heads, self.depth).transpose(1, 2)  # [batch, heads, len, depth]

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, d = x.shape
        q = self.split(self.wq(x)) * (1.0 / math.sqrt(self.depth))
        k = self.split(self.wk(x))
        v = self.split(self.wv(x))
        logits = q @ k.transpose(-1, -2)  # [batch, heads, len, len]
        if self.E is not None:
            er = relative_embeddings(self.E.weight, length).view(length, self.heads, self.depth).transpose(0, 1)
            logits = logits + skew(q @ er.transpose(-1, -2))  # er: [heads, len, depth]
        probs = torch.softmax(logits + mask, dim=-1)
        out = (probs @ v).transpose(1, 2).reshape(batch, length, d)
        return self.wo(out)


class DecoderLayer(nn.Module):
    def __init__(self, h: HParams):
        super().__init__()
        self.pre_norm = h.norm == "pre"
        self.self_attn = RelativeSelfAttention(h)
        self.ffn = nn.Module()
        self.ffn.main = nn.Sequential(nn.Linear(h.d_model, h.d_ff, bias=h.bias), nn.ReLU(), nn.Linear(h.d_ff, h.d_model, bias=h.bias))
        self.layernorm1 = nn.LayerNorm(h.d_model, eps=h.layernorm_eps)
        self.layernorm2 = nn.LayerNorm(h.d_model, eps=h.layernorm_eps)
        self.dropout = h.dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        drop = lambda t: F.dropout(t, self.dropout, self.training)  # noqa: E731
        if self.pre_norm:
            x = x + drop(self.self_attn(self.layernorm1(x), mask))
            return x + drop(self.ffn.main(self.layernorm2(x)))
        x = self.layernorm1(x + drop(self.self_attn(x, mask)))
        return self.layernorm2(x + drop(self.ffn.main(x)))


class Decoder(nn.Module):
    def __init__(self, h: HParams):
        super().__init__()
        self.layers = nn.ModuleList(DecoderLayer(h) for _ in range(h.num_layers))
        self.norm = nn.LayerNorm(h.d_model, eps=h.layernorm_eps)


class MusicTransformer(nn.Module):
    def __init__(self, h: HParams):
        super().__init__()
        self.hparams = h
        self.input_embedding = nn.Embedding(h.vocab_size, h.d_model)
        self.decoder = Decoder(h)
        self.final = nn.Linear(h.d_model, h.vocab_size)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: int64 [batch, len] -> logits [batch, len, vocab]."""
        h = self.hparams
        length = ids.shape[1]
        if h.max_abs_position > 0 and length > h.max_abs_position:
            raise ValueError(f"length {length} exceeds max_abs_position {h.max_abs_position}")
        x = self.input_embedding(ids) * math.sqrt(h.d_model)
        if h.max_abs_position > 0:
            x = x + sinusoid_table(length, h.d_model).to(x.device, x.dtype)
        x = F.dropout(x, h.dropout, self.training)
        mask = torch.full((length, length), MASKED, device=ids.device, dtype=x.dtype).triu(1)
        for layer in self.decoder.layers:
            x = layer(x, mask)
        return self.final(self.decoder.norm(x))
