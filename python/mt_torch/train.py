"""`python -m mt_torch.train` / `torchrun --nproc_per_node N -m mt_torch.train <data> <checkpoint> <save-path> <epochs> [flags]`.

Prints progress lines on rank 0 and, last, one JSON line with the result. Bad input is one line on stderr
and exit status 1 (usage errors 2); Ctrl-C saves a checkpoint and exits 0.
"""

import json
import sys

import torch.distributed as dist

from .config import parse_args
from .errors import MtTorchError


def main(argv=None) -> int:
    from .trainer import Trainer, setup

    where = None
    try:
        cfg = parse_args(sys.argv[1:] if argv is None else argv)
        where, device = setup(cfg)
        log = (lambda msg: print(msg, flush=True)) if where.rank == 0 else (lambda msg: None)
        result = Trainer(cfg, where, device, log).run()
        if where.rank == 0:
            print(json.dumps(result), flush=True)
        return 0
    except KeyboardInterrupt:
        # Ctrl-C before the training loop started (its handler is not installed yet): nothing to save.
        print("interrupted: stopped without writing a checkpoint", file=sys.stderr, flush=True)
        return 130
    except MtTorchError as e:
        prefix = f"[rank {where.rank}] " if where is not None and where.world > 1 else ""
        print(f"{prefix}error: {e}", file=sys.stderr, flush=True)
        return 1
    finally:
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()


if __name__ == "__main__":
    sys.exit(main())
