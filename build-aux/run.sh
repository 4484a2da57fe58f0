#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds DRS Monitor and runs it. Installs what it needs first. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/deps.sh build
if [ -f _build/release/build.ninja ]; then
  meson setup --reconfigure _build/release >/dev/null
else
  meson setup _build/release -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C _build/release

# Run from the build tree: its settings schema and translations.
export GSETTINGS_SCHEMA_DIR=$PWD/_build/release/data
export DRS_MONITOR_LOCALEDIR=$PWD/_build/release/po
# No account configured yet: watch the built-in simulator's tasks.
exec _build/release/src/app/drs-monitor --demo "$@"
