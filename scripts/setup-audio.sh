#!/usr/bin/env bash
# Installs Debian's FluidSynth and the FluidR3 General MIDI soundfont, with which scripts/quality/listen.mjs
# renders generated MIDI to Ogg Vorbis audio (its test renders a real file). Idempotent: does nothing
# when both are already there.
set -euo pipefail

SOUNDFONT=/usr/share/sounds/sf2/FluidR3_GM.sf2
if command -v fluidsynth >/dev/null && [ -f "$SOUNDFONT" ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends fluidsynth fluid-soundfont-gm; then
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends fluidsynth fluid-soundfont-gm
fi

if ! command -v fluidsynth >/dev/null || [ ! -f "$SOUNDFONT" ]; then
  echo "setup-audio: apt-get finished but fluidsynth or $SOUNDFONT is still missing" >&2
  exit 1
fi
dpkg-query -W -f='setup-audio: ${Package} ${Version}\n' fluidsynth fluid-soundfont-gm
