import os
import sys

# The package is used from the source tree (no install needed): tests import mt_torch from python/.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def dataset(tmp_path_factory):
    """A real dataset: `mt preprocess` on the repository's MIDI fixtures (rows of 64 tokens, every window)."""
    from helpers import REPO, mt, node_available

    if not node_available():
        pytest.skip("packages are not built (pnpm build)")
    d = tmp_path_factory.mktemp("data")
    r = mt("preprocess", os.path.join(REPO, "test", "fixtures", "midi"), str(d / "data"), "64", "-t", "0", "-s", "1", "--windows", "all", "--workers", "1", cwd=str(d))
    assert r.returncode == 0, r.stderr
    return str(d / "data.safetensors")
