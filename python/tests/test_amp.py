"""--amp bf16 path: autocast is for GPUs; here it runs on the CPU (torch's CPU autocast), which checks the
code path and that the loss stays close to fp32. It says nothing about speed or CUDA."""

import numpy as np
import torch

from mt_torch.hparams import HParams
from mt_torch.model import MusicTransformer
from mt_torch.params import init_params
from mt_torch.step import Dist, evaluate_rows, make_optimizer, train_step


def test_bf16_autocast_step_stays_close_to_fp32():
    h = HParams(d_model=32, num_layers=2, num_heads=4, d_ff=48, max_rel_dist=16, vocab_size=64, dropout=0.0)
    rows = np.random.default_rng(1).integers(1, 64, size=(4, 24)).astype(np.uint16)
    losses = []
    for amp in (None, torch.bfloat16):
        model = MusicTransformer(h)
        model.load_state_dict({k: torch.from_numpy(v) for k, v in init_params(h, 2).items()})
        opt = make_optimizer(model.parameters())
        r, _ = train_step(model, opt, rows, lr=1e-3, pad=0, dropout_seed=1, amp_dtype=amp, where=Dist())
        nll, tokens, _ = evaluate_rows(model, rows, 0, 2, amp, Dist())
        assert all(p.dtype == torch.float32 for p in model.parameters())  # master weights stay fp32
        losses.append((r.loss, nll / tokens))
    (l32, v32), (l16, v16) = losses
    assert abs(l16 - l32) / l32 < 2e-2 and abs(v16 - v32) / v32 < 2e-2
