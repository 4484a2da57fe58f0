#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The performance table of an earlier commit beside this tree's, in one run on one machine:
# builds REV in a detached worktree under _build/compare/, runs its bench/run-all.sh, then this
# tree's, and prints each summary figure of both with the ratio (this tree ÷ REV; every figure in
# the summary is better lower).
#
#   bench/compare.sh REV [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/compare.sh REV [--quick]}
quick=${2:-}

base=_build/compare/$(git rev-parse --short "$rev")
if [ ! -d "$base" ]; then
  mkdir -p _build/compare
  git worktree add --detach "$base" "$rev" >/dev/null
fi

echo "== $rev"
(cd "$base" && bench/run-all.sh $quick) >_build/compare/base.log
echo "== this tree"
bench/run-all.sh $quick >_build/compare/ours.log

python3 bench/compare.py "$rev" "$base/_build/bench-results/summary.md" \
  _build/bench-results/summary.md | tee _build/compare/summary.md
