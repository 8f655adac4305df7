#!/usr/bin/env bash
# Installs Debian's PyTorch, numpy and pytest for the torch trainer (python/) and the tests that hold
# the model against real PyTorch (test/torch: `mt import` / `mt export`, the trainer end to end). The tests run
# with Debian's /usr/bin/python3 (a python3 earlier on PATH, e.g. pyenv's, usually lacks torch).
# Idempotent: does nothing when the packages are installed.
set -euo pipefail

PKGS=(python3-torch python3-numpy python3-pytest)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "setup-python-torch: installing ${missing[*]}"
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c 'import torch, numpy, pytest; print("setup-python-torch: torch", torch.__version__)'
