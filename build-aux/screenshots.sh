#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Renders data/screenshots/*.png from the demo, in the light and dark styles and both languages.
# Usage: build-aux/screenshots.sh [BUILD_DIR] [actions]
#   (default: _build/release, built by the test command; "actions" renders only action-*.png)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-_build/release}
out=$PWD/data/screenshots
mkdir -p "$out"
ninja -C "$build" tests/drs-screenshots >/dev/null

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
for lang in en-US zh-CN; do
  HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config XDG_CACHE_HOME=$home/cache \
  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$PWD/$build/data \
  DRS_MONITOR_LOCALEDIR=$PWD/$build/po DRS_MONITOR_HISTORY=$home/history-$lang.db \
    dbus-run-session -- xvfb-run -a -s '-screen 0 1600x1000x24 -nolisten tcp' \
      "$build/tests/drs-screenshots" "$out" "$lang" ${2:-} 2>/dev/null
done
