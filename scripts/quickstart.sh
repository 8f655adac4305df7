#!/usr/bin/env bash
# Quick start on a fresh machine: install the pinned toolchain and the workspace, build it, then
# generate a MIDI file with the embedded default model. Extra arguments go to `mt generate`.
# Usage: bash scripts/quickstart.sh [out.mid] [generate options...]
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

log="$(mktemp -t mt-quickstart.XXXXXX.log)"
# Quiet setup; on failure show what went wrong instead of hiding it.
quietly() { "$@" >>"$log" 2>&1 || { cat "$log" >&2; echo "quickstart: '$*' failed (log: $log)" >&2; exit 1; }; }

echo "quickstart: installing the pinned pnpm and the workspace..." >&2
quietly bash scripts/setup-machine.sh
echo "quickstart: building..." >&2
quietly pnpm build
rm -f "$log"

out="${1:-song.mid}"
shift || true
node packages/cli/dist/bin.js generate "$out" "$@"
