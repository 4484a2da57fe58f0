#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every libFuzzer target of tests/fuzz for SECONDS each (default 60), one after another,
# with ASan + UBSan (+ LeakSanitizer). Builds the clang tree _build/fuzz first if it is missing.
# No network. Prints one summary line per target; exits non-zero if any target crashed, leaked,
# timed out or ran out of memory, and leaves the input that did it in _build/fuzz/artifacts/.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET...]
#
# TARGET is progress-parser, error-body, job-ids or scenario (default: all four). Environment:
# DRS_FUZZ_BUILD (build dir, default _build/fuzz), DRS_FUZZ_ARGS (more libFuzzer flags).
set -uo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(progress-parser error-body job-ids scenario)
build=${DRS_FUZZ_BUILD:-_build/fuzz}

case $seconds in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

command -v clang >/dev/null || { echo "run-fuzzers: clang is not installed" >&2; exit 2; }

# The clang tree: sanitizers from meson, libFuzzer from -Dfuzzing=true.
if [ ! -f "$build/build.ninja" ]; then
  echo "== Configuring $build (clang, ASan + UBSan, libFuzzer)"
  CC=clang meson setup "$build" -Dgui=false -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dfuzzing=true >/dev/null || exit 2
elif ! meson introspect --buildoptions "$build" | grep -q '"name": "fuzzing", "value": true'; then
  meson configure "$build" -Dfuzzing=true >/dev/null || exit 2
fi
exes=()
for t in "${targets[@]}"; do
  [ -d "tests/fuzz/corpus/$t" ] || { echo "run-fuzzers: no target $t" >&2; exit 2; }
  exes+=("tests/fuzz/fuzz-$t")
done
echo "== Building ${exes[*]}"
ninja -C "$build" -j"${DRS_FUZZ_JOBS:-2}" "${exes[@]}" >"$build/fuzz-build.log" 2>&1 || {
  tail -30 "$build/fuzz-build.log" >&2
  exit 2
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0:malloc_context_size=30
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$top/build-aux/lsan.supp:print_suppressions=0
export G_DEBUG=gc-friendly
export LC_ALL=C.UTF-8
unset G_MESSAGES_DEBUG

mkdir -p "$build/artifacts" "$build/fuzz-logs"
failed=0
total_start=$SECONDS
for t in "${targets[@]}"; do
  work=$build/fuzz-corpus/$t # grows from run to run; the seeds stay as they are
  mkdir -p "$work"
  # Earlier crashes of this target run first: a regression fails at once.
  for f in tests/data/fuzz-regressions/"$t"-*; do
    [ -f "$f" ] && cp -f "$f" "$work/"
  done
  dict=tests/fuzz/progress.dict
  case $t in
    scenario) dict=tests/fuzz/scenario.dict ;;
    job-ids) dict=tests/fuzz/job-ids.dict ;;
  esac
  log=$build/fuzz-logs/$t.log
  before=$(ls "$build/artifacts" | grep -c "^$t-" || true)

  # shellcheck disable=SC2086
  "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -dict="$dict" -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
    ${DRS_FUZZ_ARGS:-} "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?

  after=$(ls "$build/artifacts" | grep -c "^$t-" || true)
  crashes=$((after - before))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
  corpus=$(ls "$work" | wc -l)
  status=ok
  if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
    status=FAILED
    failed=1
    [ "$crashes" -gt 0 ] || crashes=1
  fi
  printf '%-16s %-6s runs: %-9s exec/s: %-7s %-22s corpus: %-5s peak-rss: %sMB crashes: %s\n' \
    "$t" "$status" "${runs:-?}" "${speed:-?}" "${cov:-cov: ?}" "$corpus" "${rss:-?}" "$crashes"
  if [ $status = FAILED ]; then
    grep -E 'ERROR|SUMMARY|assertion|runtime error|Test unit written' "$log" | head -8 | sed 's/^/    /'
    echo "    full log: $log"
    echo "    to keep it as a regression: cp $build/artifacts/$t-<file> tests/data/fuzz-regressions/$t-<what>"
  fi
done

echo "== Fuzzed ${#targets[@]} target(s) for ${seconds}s each in $((SECONDS - total_start))s: $([ $failed = 0 ] && echo clean || echo FAILED)"
exit $failed
