#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The soak (issue 10): 1,000 tasks for a simulated day and then some (30 h by default, past the
# one-day retention; bench/soak.c: RSS and open file descriptors flat, history within retention,
# no warnings), then one simulated hour under Valgrind memcheck,
# which fails on any definite leak whose stack passes through our code (src/: the drs-*.c files;
# not bench/soak.c, whose main loop is at the bottom of every stack).
#
#   bench/soak.sh [BUILD_DIR] [HOURS] [VALGRIND_HOURS]
#
# BUILD_DIR defaults to _build/release (any build with bench/soak; not a sanitizer build, Valgrind
# and ASan do not mix). Exit status 0 only when both runs pass.
set -eu

build=${1:-_build/release}
hours=${2:-30}
valgrind_hours=${3:-1}
soak="$build/bench/soak"

if command -v ninja >/dev/null 2>&1; then
  ninja -C "$build" bench/soak >/dev/null
fi
if [ ! -x "$soak" ]; then
  echo "soak.sh: $soak is missing; build $build first" >&2
  exit 2
fi

export GIO_USE_PROXY_RESOLVER=dummy
export G_DEBUG=gc-friendly
status=0

echo "== soak: 1,000 tasks, $hours simulated hours =="
start=$(date +%s)
"$soak" --hours "$hours" || status=1
echo "(wall time $(($(date +%s) - start)) s)"

if ! command -v valgrind >/dev/null 2>&1; then
  echo "soak.sh: valgrind is not installed; the memcheck run is skipped" >&2
  exit 1
fi

echo
echo "== memcheck: $valgrind_hours simulated hour(s) under valgrind =="
log=$(mktemp "${TMPDIR:-/tmp}/drs-soak-valgrind-XXXXXX")
start=$(date +%s)
valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --num-callers=40 --log-file="$log" \
  "$soak" --hours "$valgrind_hours" --warmup 0 --rss-tolerance-kb 1000000 || status=1
echo "(wall time $(($(date +%s) - start)) s)"

# The summary, then every definite leak with a frame in our sources.
sed -n '/LEAK SUMMARY/,/suppressed:/p; /ERROR SUMMARY/p' "$log" | sed 's/^==[0-9]*== //'
ours=$(awk '
  /definitely lost in loss record/ { inblock = 1; block = $0 "\n"; mine = 0; next }
  inblock && /^==[0-9]+== *$/ { if (mine) { printf "%s\n", block; n++ } inblock = 0; next }
  inblock {
    block = block $0 "\n"
    if ($0 ~ /\(drs-[a-z0-9-]+\.c:[0-9]+\)/) mine = 1
  }
  END { if (inblock && mine) { printf "%s\n", block; n++ } }
' "$log")
if [ -n "$ours" ]; then
  echo "FAIL: definite leaks in our code:"
  echo "$ours"
  status=1
else
  echo "memcheck: no definite leaks in our code"
fi
echo "(full log: $log)"
exit $status
