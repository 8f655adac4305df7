"""torch vs the TypeScript engine (packages/model createTrainingEngine, cpu backend): from the same weights
and rows, in fp32 with dropout 0, the loss, gradient norm, updated weights and Adam moments agree."""

import json
import os
import tempfile

import numpy as np
import pytest
import torch

from helpers import node_available, rel_diff, ts_state
from mt_torch.files import encode_model
from mt_torch.hparams import HParams
from mt_torch.model import MusicTransformer
from mt_torch.params import init_params
from mt_torch.safetensors_codec import write_atomic
from mt_torch.step import Dist, make_optimizer, train_step

pytestmark = pytest.mark.skipif(not node_available(), reason="packages/model is not built (pnpm build)")

TOL = 1e-5
CASES = {
    "relative, pre-norm": dict(norm="pre"),
    "relative, post-norm, len > max_rel_dist": dict(norm="post", max_rel_dist=12),
    "plain attention + absolute positions, no bias": dict(norm="pre", max_rel_dist=0, max_abs_position=32, bias=False),
}
# One step each from the same weights: a whole-batch step, and an accumulated (3 micro-batches), clipped,
# label-smoothed one. (Over several steps Adam divides moments that can nearly cancel, which amplifies
# float rounding beyond 1e-5 in a few elements; one step is the comparison that is well conditioned.)
STEPS = {"whole batch": dict(lr=2e-3, micro=5), "accumulate 3, clip, smoothing": dict(lr=1e-3, micro=2, clipNorm=0.5, labelSmoothing=0.1)}


def rows(seed: int, batch: int = 5, length: int = 21) -> np.ndarray:
    g = np.random.default_rng(seed)
    out = g.integers(1, 416, size=(batch, length)).astype(np.uint16)
    out[:, 0] = 1
    out[1, 15:] = 0  # a right-padded row: pad targets are excluded from the loss
    out[3, 9:] = 0
    return out


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("name", list(CASES))
def test_one_step_matches_typescript_engine(name, step):
    h = HParams(**{**dict(d_model=32, num_layers=2, num_heads=4, d_ff=48, max_rel_dist=24, dropout=0.0), **CASES[name]})
    steps = [STEPS[step]]
    weights = init_params(h, 7)
    data = rows(3)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "w.safetensors")
        write_atomic(path, encode_model(h, weights, {}))
        ts_tensors, ts_meta = ts_state("step", {"hparams": h.to_dict(), "weights": path, "rows": data.tolist(), "steps": steps})
    ts_results = json.loads(ts_meta["results"])
    model = MusicTransformer(h)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
    opt = make_optimizer(model.parameters())
    for s, expected in zip(steps, ts_results):
        accumulate = -(-data.shape[0] // s["micro"])
        r, _ = train_step(model, opt, data, lr=s["lr"], pad=0, dropout_seed=1, accumulate=accumulate, clip_norm=s.get("clipNorm"), label_smoothing=s.get("labelSmoothing", 0.0), where=Dist())
        assert r.tokens == expected["tokens"]
        assert r.correct == expected["correct"]
        assert abs(r.loss - expected["loss"]) / expected["loss"] <= TOL, (r.loss, expected["loss"])
        assert abs(r.grad_norm - expected["gradNorm"]) / expected["gradNorm"] <= TOL, (r.grad_norm, expected["gradNorm"])
    state = model.state_dict()
    by_name = dict(model.named_parameters())
    # The key bias adds q.b to every logit of a row, which softmax ignores: its true gradient is 0 and both
    # engines hold float noise there, which Adam scales up to +-lr. It is checked to be noise on both sides.
    noise = [n for n in weights if n.endswith("self_attn.wk.bias")]
    largest = max(np.abs(ts_tensors[f"optimizer.m.{n}"]).max() for n in weights)
    for n in noise:
        assert np.abs(ts_tensors[f"optimizer.m.{n}"]).max() < 1e-6 * largest
        assert np.abs(opt.state[by_name[n]]["exp_avg"].numpy()).max() < 1e-6 * largest
    compared = [n for n in weights if n not in noise]
    worst = max((rel_diff(state[n].numpy(), ts_tensors[n]), n) for n in compared)
    assert worst[0] <= TOL, worst
    for group in ("m", "v"):
        key = "exp_avg" if group == "m" else "exp_avg_sq"
        worst = max((rel_diff(opt.state[by_name[n]][key].numpy(), ts_tensors[f"optimizer.{group}.{n}"]), n) for n in compared)
        assert worst[0] <= TOL, (group, worst)
    assert int(ts_meta["adam_t"]) == len(steps) == int(opt.state[by_name["final.bias"]]["step"])


def test_initial_weights_match_typescript_init():
    h = HParams(d_model=32, num_layers=2, num_heads=4, d_ff=48, max_rel_dist=24)
    ts_weights, _ = ts_state("init", {"hparams": h.to_dict(), "seed": 12345})
    mine = init_params(h, 12345)
    for name, values in mine.items():
        assert np.array_equal(values, ts_weights[name]) or rel_diff(values, ts_weights[name]) < 1e-6, name
