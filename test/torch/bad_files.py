"""Writes .pt files that mt import must refuse, each in the shape a real tool or attacker would make.
Usage: bad_files.py <good.pt> <out-dir>; prints the written paths as JSON."""
import io, json, os, pickle, sys, zipfile
import torch


class Pickler(pickle.Pickler):
    """torch.save's persistent ids, but with sizes we choose."""

    def persistent_id(self, obj):
        return obj.pid if isinstance(obj, FakeStorage) else None


class FakeStorage:
    def __init__(self, pid):
        self.pid = pid


class FakeTensor:
    def __init__(self, storage, size, stride):
        self.args = (storage, 0, size, stride, False, {})

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


def torch_zip(path, obj, records):
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(obj)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        for name, data in records.items():
            z.writestr(f"archive/data/{name}", data)
        z.writestr("archive/version", "3\n")


good, out = sys.argv[1], sys.argv[2]
paths = {}

paths["not_torch"] = os.path.join(out, "notes.pt")  # a zip, but of something else
with zipfile.ZipFile(paths["not_torch"], "w") as z:
    z.writestr("notes/readme.txt", "hello")

paths["truncated"] = os.path.join(out, "truncated.pt")
data = open(good, "rb").read()
open(paths["truncated"], "wb").write(data[: len(data) // 2])

paths["forbidden"] = os.path.join(out, "forbidden.pt")  # unpickling it with pickle would run os.system
torch_zip(paths["forbidden"], {"state_dict": os.system, "hparams": {}}, {})

small = {"0": b"\0" * 64}
paths["huge_storage"] = os.path.join(out, "huge-storage.pt")  # the storage claims 8 GiB, holds 64 bytes
storage = FakeStorage(("storage", torch.FloatStorage, "0", "cpu", 2 ** 31))
torch_zip(paths["huge_storage"], {"input_embedding.weight": FakeTensor(storage, (65536, 32768), (32768, 1))}, small)

paths["huge_view"] = os.path.join(out, "huge-view.pt")  # an honest 16-float storage, a 65536 x 65536 view
storage = FakeStorage(("storage", torch.FloatStorage, "0", "cpu", 16))
torch_zip(paths["huge_view"], {"input_embedding.weight": FakeTensor(storage, (65536, 65536), (0, 0))}, small)

paths["legacy"] = os.path.join(out, "legacy.pt")
torch.save({"state_dict": {"w": torch.zeros(2)}}, paths["legacy"], _use_new_zipfile_serialization=False)

print(json.dumps(paths))
