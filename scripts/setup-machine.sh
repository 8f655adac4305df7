#!/usr/bin/env bash
# Installs what the project and its tests need on a fresh Debian machine: the pinned pnpm, the
# workspace's packages, and the Debian packages the end-to-end tests use (JACK for virtual MIDI
# ports, Chromium for the dashboard's browser test, python3-torch for the torch trainer's tests,
# FluidSynth for rendering audio). Idempotent: safe to run again.
# Usage: scripts/setup-machine.sh [--with-test-services]
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@${PNPM_VERSION}" >/dev/null
fi
CI=true pnpm install --frozen-lockfile

if [ "${1:-}" = "--with-test-services" ]; then
  # Virtual MIDI ports through JACK's dummy driver, Chromium for the dashboard's browser test,
  # Debian's PyTorch for the torch trainer's tests (python/ and test/torch), and FluidSynth with a
  # General MIDI soundfont for the listening set's audio (scripts/quality/listen.mjs).
  for script in scripts/setup-jack-midi.sh scripts/setup-chromium.sh scripts/setup-python-torch.sh scripts/setup-audio.sh; do
    if [ -x "$script" ]; then bash "$script"; fi
  done
fi
