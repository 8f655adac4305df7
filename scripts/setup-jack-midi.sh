#!/usr/bin/env bash
# Test-machine setup for virtual MIDI ports on machines without an ALSA sequencer (containers have
# no /dev/snd/seq): installs JACK (dummy driver, userspace), rebuilds the
# @julusian/midi addon that easymidi uses so that RtMidi talks to JACK instead of ALSA, and builds the
# live bridge's frame-exact JACK output (packages/live-bridge/native/jack-output), which `mt live`
# then sends through.
#
# Only for test machines: a user's install keeps the prebuilt binary (CoreMIDI, ALSA, WinMM need no
# rebuild), so this is never run from postinstall. Idempotent: a second run changes nothing.
# Usage: scripts/setup-jack-midi.sh [--force]   (--force rebuilds the addon even if already built)
set -euo pipefail
cd "$(dirname "$0")/.."

FORCE="${1:-}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# 1. Debian packages: jackd2 (server + dummy driver), libjack headers for the addon, libasound2-dev
#    because RtMidi's sources include ALSA headers even when the JACK API is selected.
PKGS=(jackd2 libjack-jackd2-dev libasound2-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-jack-midi: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # jackd2 asks whether to enable realtime scheduling; the answer is irrelevant for --no-realtime.
  echo "jackd2 jackd/tweak_rt_limits boolean false" | $SUDO debconf-set-selections
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

# 2. Resolve the real directory of @julusian/midi under pnpm's store layout, as easymidi (which the
#    bridge uses for outputs) sees it; the bridge's own dependency on it is the same version and
#    therefore the same directory, which is checked.
MIDI_DIR="$(cd packages/live-bridge && node -e "
const { createRequire } = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const fromBridge = createRequire(path.resolve('package.json'));
const fromEasymidi = createRequire(fromBridge.resolve('easymidi'));
const viaEasymidi = fs.realpathSync(path.dirname(fromEasymidi.resolve('@julusian/midi/package.json')));
const direct = fs.realpathSync(path.dirname(fromBridge.resolve('@julusian/midi/package.json')));
if (viaEasymidi !== direct) {
  console.error('easymidi and live-bridge resolve different @julusian/midi copies: ' + viaEasymidi + ' vs ' + direct);
  process.exit(1);
}
process.stdout.write(direct);
")"
MIDI_DIR="$(realpath "$MIDI_DIR")"
ADDON="$MIDI_DIR/build/Release/midi.node"


# node-gyp: npm bundles one; headers come from the local Node install when present, because
# nodejs.org (where node-gyp downloads headers from) may be unreachable.
NODE_GYP="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
GYP_CMD=(node "$NODE_GYP")
if [ ! -f "$NODE_GYP" ]; then GYP_CMD=(npx --yes node-gyp); fi
NODEDIR_ARGS=()
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
if [ -f "$NODE_PREFIX/include/node/node_api.h" ] && [ -f "$NODE_PREFIX/include/node/common.gypi" ]; then
  NODEDIR_ARGS=(--nodedir="$NODE_PREFIX")
fi

# 3. Rebuild for JACK unless an addon linked against libjack is already there.
if [ "$FORCE" != "--force" ] && [ -f "$ADDON" ] && ldd "$ADDON" | grep libjack >/dev/null; then
  echo "setup-jack-midi: $ADDON already built for JACK"
else
  echo "setup-jack-midi: rebuilding $MIDI_DIR for JACK"
  # -U__LINUX_ALSA__ -D__UNIX_JACK__ selects RtMidi's JACK API; --no-as-needed keeps libjack linked
  # (without it the linker drops it and the addon has unresolved jack_* symbols at load time).
  BUILD_LOG="$(mktemp)"
  if ! (cd "$MIDI_DIR" && CXXFLAGS="-U__LINUX_ALSA__ -D__UNIX_JACK__" LDFLAGS="-Wl,--no-as-needed -ljack" \
    "${GYP_CMD[@]}" rebuild "${NODEDIR_ARGS[@]}" >"$BUILD_LOG" 2>&1); then
    cat "$BUILD_LOG" >&2
    echo "setup-jack-midi: node-gyp rebuild failed" >&2
    exit 1
  fi
  rm -f "$BUILD_LOG"
  ldd "$ADDON" | grep libjack >/dev/null || { echo "setup-jack-midi: $ADDON is not linked against libjack" >&2; exit 1; }
  echo "setup-jack-midi: built $ADDON (JACK)"
fi

# 4. The frame-exact JACK output of the live bridge: plain C against libjack and Node-API, built the
#    same way (npm's node-gyp, the local Node headers). The bridge uses it when the built file exists.
JACK_OUT_DIR="packages/live-bridge/native/jack-output"
JACK_OUT="$JACK_OUT_DIR/build/Release/jack_output.node"
if [ "$FORCE" != "--force" ] && [ -f "$JACK_OUT" ] && [ "$JACK_OUT" -nt "$JACK_OUT_DIR/jack_output.c" ] \
  && [ "$JACK_OUT" -nt "$JACK_OUT_DIR/binding.gyp" ]; then
  echo "setup-jack-midi: $JACK_OUT already built"
  exit 0
fi
BUILD_LOG="$(mktemp)"
if ! (cd "$JACK_OUT_DIR" && "${GYP_CMD[@]}" rebuild "${NODEDIR_ARGS[@]}" >"$BUILD_LOG" 2>&1); then
  cat "$BUILD_LOG" >&2
  echo "setup-jack-midi: building the frame-exact JACK output failed" >&2
  exit 1
fi
rm -f "$BUILD_LOG"
echo "setup-jack-midi: built $JACK_OUT"
