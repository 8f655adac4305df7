#!/usr/bin/env bash
# Installs Debian's PyTorch and numpy for the tests that hold the model against real PyTorch
# (test/torch: `mt import` / `mt export` against a reference module). PyPI is not used: Debian's
# python3-torch is what this machine can install. Tests run it as /usr/bin/python3 (or $MT_PYTHON),
# because a python3 earlier on PATH (pyenv and the like) does not see Debian's packages.
# Idempotent: does nothing when /usr/bin/python3 already imports torch and numpy.
set -euo pipefail

if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends python3-torch python3-numpy

if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "setup-python-torch: apt-get finished but /usr/bin/python3 cannot import torch and numpy" >&2
  exit 1
fi
dpkg-query -W -f='setup-python-torch: ${Package} ${Version}\n' python3-torch python3-numpy
