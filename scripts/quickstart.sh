#!/usr/bin/env bash
# Quick start on a fresh machine: install the pinned toolchain and the workspace, build it, then
# generate a MIDI file with the embedded default model. Extra arguments go to `mt generate`.
# Usage: bash scripts/quickstart.sh [out.mid] [generate options...]
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

bash scripts/setup-machine.sh >/dev/null
pnpm build >/dev/null
out="${1:-song.mid}"
shift || true
node packages/cli/dist/bin.js generate "$out" "$@"
