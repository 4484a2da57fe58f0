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

if [ -x _build/release/src/app/drs-monitor ]; then
  exec _build/release/src/app/drs-monitor "$@"
fi
# Until the window lands: the command-line tool reads the API page's example response.
exec _build/release/src/cli/drs-progress --response-file tests/data/example-response-2.json "$@"
