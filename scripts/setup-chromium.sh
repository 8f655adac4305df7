#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser test (playwright-core drives /usr/bin/chromium;
# `playwright install` is never used because it downloads a browser from a host we cannot reach).
# Idempotent: does nothing when /usr/bin/chromium is already there. fonts-dejavu-core is named because
# chromium only depends on fontconfig: without a font, screenshots of the dashboard show empty boxes.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core

if [ ! -x /usr/bin/chromium ]; then
  echo "setup-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
dpkg-query -W -f='setup-chromium: ${Package} ${Version}\n' chromium
