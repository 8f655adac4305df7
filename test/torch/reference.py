"""A PyTorch Music Transformer written for the tests, addressed by the original project's state_dict
names, so that its .pt files and ours can be held against each other. Reads a JSON job on stdin:
  {"op": "save", "out", "hparams", "seed", "variant": {...}}  writes a .pt as the original's train.py does
  {"op": "run", "pt", "ids", "dataset"?}  loads a .pt (torch.load + strict load_state_dict), prints JSON
Pre-LN as the original's code; causal mask only (ours; right-padded pads are never keys of real queries)."""
import json, math, sys
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def skew(t):
    padded = F.pad(t, [1, 0])
    return padded.reshape(*t.shape[:-2], t.shape[-1] + 1, t.shape[-2])[..., 1:, :].reshape(t.shape)


class MHA(nn.Module):
    def __init__(self, h):
        super().__init__()
        d, b = h["d_model"], h["bias"]
        self.heads, self.mrd = h["num_heads"], h["max_rel_dist"]
        self.wq, self.wk, self.wv = nn.Linear(d, d, b), nn.Linear(d, d, b), nn.Linear(d, d, b)
        self.E = nn.Embedding(self.mrd, d)
        self.wo = nn.Linear(d, d, True)

    def split(self, x):
        return x.view(*x.shape[:-1], self.heads, -1).transpose(-2, -3)

    def forward(self, x, mask):
        L = x.shape[-2]
        q, k, v = self.split(self.wq(x)), self.split(self.wk(x)), self.split(self.wv(x))
        # rows of E for distances L-1..0; farther than max_rel_dist-1 share row 0
        idx = torch.clamp(torch.arange(L) + self.mrd - L, min=0)
        e = self.split(self.E.weight[idx])
        logits = (q @ k.transpose(-1, -2) + skew(q @ e.transpose(-1, -2))) / math.sqrt(q.shape[-1])
        att = F.softmax(logits + mask * -1e9, dim=-1) @ v
        return self.wo(att.transpose(-2, -3).reshape(*x.shape))


class Layer(nn.Module):
    def __init__(self, h):
        super().__init__()
        d, eps = h["d_model"], h["layernorm_eps"]
        self.self_attn = MHA(h)
        self.ffn = nn.Module()
        self.ffn.main = nn.Sequential(nn.Linear(d, h["d_ff"], h["bias"]), nn.ReLU(), nn.Linear(h["d_ff"], d, h["bias"]))
        self.layernorm1, self.layernorm2 = nn.LayerNorm(d, eps=eps), nn.LayerNorm(d, eps=eps)

    def forward(self, x, mask):
        x = x + self.self_attn(self.layernorm1(x), mask)
        return x + self.ffn.main(self.layernorm2(x))


class MusicTransformer(nn.Module):
    def __init__(self, h):
        super().__init__()
        self.h = h
        self.input_embedding = nn.Embedding(h["vocab_size"], h["d_model"])
        self.decoder = nn.Module()
        self.decoder.layers = nn.ModuleList([Layer(h) for _ in range(h["num_layers"])])
        self.decoder.norm = nn.LayerNorm(h["d_model"], eps=h["layernorm_eps"])
        self.final = nn.Linear(h["d_model"], h["vocab_size"])

    def forward(self, ids):
        d, L = self.h["d_model"], ids.shape[-1]
        x = self.input_embedding(ids) * math.sqrt(d)
        if self.h["max_abs_position"] > 0:
            k = torch.arange(d, dtype=torch.float64)
            angles = torch.arange(L, dtype=torch.float64)[:, None] / torch.pow(10000, 2 * (k // 2) / d)[None, :]
            x = x + torch.where(k % 2 == 0, torch.sin(angles), torch.cos(angles)).float()
        mask = torch.triu(torch.ones(L, L), diagonal=1)
        for layer in self.decoder.layers:
            x = layer(x, mask)
        return self.final(self.decoder.norm(x))


def save(job):
    torch.manual_seed(job["seed"])
    model, v = MusicTransformer(job["hparams"]), job.get("variant", {})
    with torch.no_grad():  # non-trivial LayerNorm and bias values, so that every tensor matters
        for name, p in model.named_parameters():
            if "layernorm" in name or "norm" in name or name.endswith("bias"):
                p.add_(torch.randn_like(p) * 0.2)
    sd = model.state_dict()
    # The original wraps its layers in nn.TransformerDecoder (deep copies of one layer): same names.
    wrapped = nn.TransformerDecoder(Layer(job["hparams"]), len(model.decoder.layers), model.decoder.norm)
    assert [k for k in sd if k.startswith("decoder.")] == ["decoder." + k for k in wrapped.state_dict()]
    for name in v.get("f16", []):
        sd[name] = sd[name].half()
    for name in v.get("bf16", []):
        sd[name] = sd[name].bfloat16()
    for name in v.get("strided", []):  # a view with an offset and row stride 2 into a bigger storage
        big = torch.randn(2 * sd[name].shape[0] + 3, *sd[name].shape[1:])
        big[3::2] = sd[name]
        sd[name] = big[3::2]
    for name in v.get("transposed", []):  # a view with column-major strides
        sd[name] = sd[name].t().contiguous().t()
    if v.get("mha"):
        sd = type(sd)((k.replace(".self_attn.", ".mha."), t) for k, t in sd.items())
    if v.get("cuda"):  # tag storages as saved from a GPU (none here): torch.load then needs map_location
        torch.serialization.location_tag = lambda storage: "cuda:0"
    obj = sd if v.get("bare") else {"state_dict": sd, "hparams": job["hparams"]}
    if v.get("trainer"):  # the original trainer's checkpoint: model, Adam and LambdaLR states, histories
        opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, 0.98))
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 0.0)  # lr 0: weights stay as saved
        model(torch.ones(1, 4, dtype=torch.long)).sum().backward()
        opt.step(), sched.step()
        obj = {"model_state_dict": sd, "optimizer_state_dict": opt.state_dict(), "warmup_steps": 4000,
               "scheduler_state_dict": sched.state_dict(), "train_losses": [3.1], "validation_losses": [3.3],
               "hparams": job["hparams"]}
    torch.save(obj, job["out"])
    return {"saved": job["out"]}


def load(path, hparams=None):
    ckpt = torch.load(path, map_location="cpu")
    key = next((k for k in ("state_dict", "model_state_dict") if k in ckpt), None)
    sd, h = (ckpt[key], ckpt["hparams"]) if key else (ckpt, hparams)
    model = MusicTransformer(h)
    model.load_state_dict({k.replace(".mha.", ".self_attn."): t.float() for k, t in sd.items()}, strict=True)
    return model.eval(), h


def run(job):
    model, h = load(job["pt"], job.get("hparams"))
    out = {"hparams": h}
    if "ids" in job:  # rows of length L+1: inputs row[:-1], targets row[1:], pad 0 excluded from the loss
        ids = torch.tensor(job["ids"], dtype=torch.long)
        logits = model(ids[:, :-1])
        tar = ids[:, 1:]
        nll = F.cross_entropy(logits.transpose(-1, -2).double(), tar, reduction="none")
        keep = (tar != 0).double()
        loss = (nll * keep).sum() / keep.sum()
        model.zero_grad()
        loss.float().backward()
        grad = math.sqrt(sum(float((p.grad.double() ** 2).sum()) for p in model.parameters()))
        out.update(logits=logits.detach().flatten().tolist(), loss=float(loss), grad_norm=grad)
    if "dataset" in job:  # NLL per non-pad target over the validation rows of an mt preprocess file
        rows = read_rows(job["dataset"], "validation")
        total, count = 0.0, 0
        with torch.no_grad():
            for at in range(0, len(rows), 8):
                batch = torch.tensor(rows[at:at + 8].astype(np.int64))
                nll = F.cross_entropy(model(batch[:, :-1]).transpose(-1, -2).double(), batch[:, 1:], reduction="none")
                keep = batch[:, 1:] != 0
                total, count = total + float(nll[keep].sum()), count + int(keep.sum())
        out.update(nll=total / count, tokens=count)
    return out


def read_rows(path, name):
    raw = open(path, "rb").read()
    n = int.from_bytes(raw[:8], "little")
    info = json.loads(raw[8:8 + n])[name]
    start, end = info["data_offsets"]
    return np.frombuffer(raw[8 + n + start:8 + n + end], dtype="<u2").reshape(info["shape"])


if __name__ == "__main__":
    job = json.load(sys.stdin)
    print(json.dumps({"save": save, "run": run}[job["op"]](job)))
