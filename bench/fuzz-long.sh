#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The long fuzzing run (issue 10): every libFuzzer target of tests/fuzz for SECONDS each (default
# 1800, half an hour), with the corpus kept in _build/fuzz/fuzz-corpus/ from run to run. The test
# command runs the same targets for 45 s each (tests/fuzz/run-fuzzers.sh). Prints one line per
# target (runs, exec/s, coverage, corpus, crashes); exits non-zero on a crash, leaving the input
# in _build/fuzz/artifacts/ (copy it to tests/data/fuzz-regressions/<target>-<what> and fix).
#
#   bench/fuzz-long.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-1800}
shift || true
# Slow inputs count as findings in a long run too, but give the scenario target more room.
export DRS_FUZZ_ARGS="${DRS_FUZZ_ARGS:-} -max_len=16384 -use_value_profile=1"
exec tests/fuzz/run-fuzzers.sh "$seconds" "$@"
