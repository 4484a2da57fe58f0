#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds DRS Monitor with -Werror and runs the whole test suite, then builds it again with
# AddressSanitizer + UndefinedBehaviorSanitizer (leak detection on) and runs the suite again.
# Installs what it needs first. Safe to run again; build trees live in _build/.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD

build-aux/deps.sh test

setup () {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

run_suite () {
  local dir=$1; shift
  # GUI tests need an X server and every test a private D-Bus session (and keyring).
  dbus-run-session -- xvfb-run -a -s '-screen 0 1440x900x24 -nolisten tcp' \
    meson test -C "$dir" --print-errorlogs "$@" || true
}

echo "== Release build (-Werror)"
setup _build/release -Dwerror=true -Dbuildtype=debugoptimized
ninja -C _build/release
run_suite _build/release

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
setup _build/sanitize -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
  -Db_lundef=false
ninja -C _build/sanitize
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:intercept_tls_get_addr=0 \
LSAN_OPTIONS=suppressions=$top/build-aux/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite _build/sanitize --timeout-multiplier 4

# Extra checks outside meson's suites: each prints its own report and counts as one test.
extra=()
echo "== Fuzzing (clang libFuzzer + ASan/UBSan, 45 s per target; bench/fuzz-long.sh runs longer)"
# A fixed seed: the same inputs on every run, so a red run is a real, repeatable crash.
if DRS_FUZZ_ARGS="-seed=20261129 ${DRS_FUZZ_ARGS:-}" tests/fuzz/run-fuzzers.sh 45; then
  extra+=(fuzzing=ok)
else
  extra+=(fuzzing=failed)
fi

echo "== Flatpak: build, install and run the manifest offline (DRS_SKIP_FLATPAK=1 skips it, not in CI)"
if tests/flatpak/run.sh; then extra+=(flatpak=ok); else extra+=(flatpak=failed); fi

python3 build-aux/test-summary.py _build/release _build/sanitize "${extra[@]}"
