"""Seed derivations and the data-order RNG, ported bit for bit from the TypeScript packages, so a torch run
visits rows in the same order as `mt train` with the same seed and derives its dropout seeds the same way:

- `create_rng(seed).fork(label)`, `next_int`, `permutation`: packages/vocab rng.ts and shuffle.ts
  (xoshiro128** seeded through splitmix32, forks keyed by an FNV-1a hash of the label).
- `mix_seed`: packages/trainer seeds.ts (murmur3 finalizer); `micro_batch_seed`: packages/model engine/seeds.ts.
"""

from typing import List, Tuple

import numpy as np

M32 = 0xFFFFFFFF
TWO_POW_32 = 1 << 32


def _imul(a: int, b: int) -> int:
    """JavaScript's Math.imul on uint32 bit patterns, result as uint32."""
    return ((a & M32) * (b & M32)) & M32


def _rotl(x: int, k: int) -> int:
    x &= M32
    return ((x << k) | (x >> (32 - k))) & M32


def _splitmix32(state: List[int]) -> int:
    state[0] = (state[0] + 0x9E3779B9) & M32
    z = state[0]
    z = _imul(z ^ (z >> 16), 0x85EBCA6B)
    z = _imul(z ^ (z >> 13), 0xC2B2AE35)
    return (z ^ (z >> 16)) & M32


def _hash_label(label: str) -> int:
    h = 0x811C9DC5
    for ch in label:
        # FNV-1a over UTF-16 code units (labels here are ASCII, one unit per character).
        h = _imul(h ^ ord(ch), 0x01000193)
    return h


def _expand_key(key: Tuple[int, int, int, int]) -> List[int]:
    x = (key[0] ^ _imul(key[1], 0x27D4EB2F) ^ _imul(key[2], 0x165667B1)) & M32
    st = [(x ^ key[3]) & M32]
    s = [_splitmix32(st) for _ in range(4)]
    if (s[0] | s[1] | s[2] | s[3]) == 0:
        s[0] = 1
    return s


class Rng:
    """xoshiro128** with the vocab package's seeding and forking."""

    def __init__(self, key: Tuple[int, int, int, int]):
        self.key = key
        self.s = _expand_key(key)

    def next_uint32(self) -> int:
        s0, s1, s2, s3 = self.s
        result = _imul(_rotl(_imul(s1, 5), 7), 9)
        t = (s1 << 9) & M32
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def next_int(self, n: int) -> int:
        limit = TWO_POW_32 - (TWO_POW_32 % n)
        while True:
            x = self.next_uint32()
            if x < limit:
                return x % n

    def fork(self, label: str) -> "Rng":
        h = _hash_label(label)
        k = self.key
        return Rng(((k[0] ^ h) & M32, (_imul(k[1], 0x9E3779B1) + h) & M32, _rotl(k[2], 13), (k[3] + 0x632BE5AB) & M32))


def create_rng(seed: int) -> Rng:
    lo = seed & M32
    hi = (seed // TWO_POW_32) & M32
    return Rng((lo, hi, 0x5EED5EED, 0))


def permutation(n: int, rng: Rng) -> np.ndarray:
    """Fisher-Yates from the top, as packages/vocab `permutation`."""
    out = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next_int(i + 1)
        out[i], out[j] = out[j], out[i]
    return np.asarray(out, dtype=np.int64)


def epoch_order(rows: int, seed: int, epoch: int) -> np.ndarray:
    """packages/trainer data-order.ts: the rows' visiting order of one epoch, a pure function of (seed, epoch)."""
    return permutation(rows, create_rng(seed).fork(f"data-order/epoch-{epoch}"))


def _fmix(x: int) -> int:
    h = x & M32
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


def mix_seed(*parts: int) -> int:
    h = 0x9E3779B9
    for p in parts:
        lo = p & M32
        hi = (p // TWO_POW_32) & M32
        h = _fmix(h ^ lo)
        h = _fmix(h ^ hi ^ 0x85EBCA6B)
    return 1 if h == 0 else h


def micro_batch_seed(dropout_seed: int, index: int) -> int:
    """Dropout seed of micro-batch `index` of a step (non-zero, independent of how ranks split the step)."""
    h = (_imul(dropout_seed ^ 0x5BD1E995, 0x27D4EB2D) + _imul(index + 1, 0x165667B1)) & M32
    h = _imul(h ^ (h >> 15), 0x85EBCA77)
    h ^= h >> 13
    return (h & 0x7FFFFFFF) or 1
