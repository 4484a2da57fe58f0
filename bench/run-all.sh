#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The performance table, in one run: builds the release tree, runs every benchmark (each prints
# its own full table, with baselines measured in the same run) and then the summary: for each
# figure, ours, the baseline's, and the ratio.
#
#   bench/run-all.sh [--quick]       (results also in _build/bench-results/)
#
# Needs what the test command installs (Xvfb, D-Bus, wrk, valgrind, python3).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}

build-aux/deps.sh test >/dev/null
if [ -f _build/release/build.ninja ]; then
  meson setup --reconfigure _build/release >/dev/null
else
  meson setup _build/release -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C _build/release >/dev/null

out=_build/bench-results
mkdir -p "$out"
b=_build/release/bench
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$PWD/_build/release/data G_DEBUG=

echo "== Parsing";               "$b/bench-parse" $quick | tee "$out/parse.md"
echo "== Client";                "$b/bench-client" 3 | tee "$out/client.md"
echo "== Monitor";               "$b/bench-monitor" $quick | tee "$out/monitor.md"
echo "== Simulator";             "$b/bench-simulator" 3 | tee "$out/simulator.md"
echo "== Exporter";              "$b/bench-exporter" $quick | tee "$out/exporter.md"
echo "== Window"
dbus-run-session -- xvfb-run -a -s '-screen 0 1600x1000x24 -nolisten tcp' \
  "$b/bench-window" --baseline 100 10000 100000 2>/dev/null | tee "$out/window.md"

echo "== Background"
dbus-run-session -- xvfb-run -a -s '-screen 0 1600x1000x24 -nolisten tcp' \
  "$b/bench-background" 2>/dev/null | tee "$out/background.md"

echo
echo "== Summary"
python3 bench/summarize.py "$out" | tee "$out/summary.md"
