#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a benchmark against the GTK the Flatpak ships (GTK 4.18 in the GNOME 48 stand-in SDK that
# tests/flatpak/run.sh builds and caches), built from this tree, under a private Xvfb and D-Bus:
#
#   bench/flatpak-sdk.sh bench-window --baseline 100 10000 100000
#   BENCH_MODES=window bench/flatpak-sdk.sh bench-background
#
# The SDK is checked out of the cached runtime repository into _build/flatpak-sdk (once), and the
# tree is built there with meson; the benchmark runs in a bubblewrap sandbox over that SDK.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
[ $# -ge 1 ] || { echo "usage: bench/flatpak-sdk.sh BENCHMARK [ARGS...]" >&2; exit 2; }
bench=$1; shift

as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)

cache=${DRS_FLATPAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drs-monitor-flatpak}
repo=
for dir in "$cache"/runtime-*; do
  [ -f "$dir/complete" ] && repo=$dir/repo
done
if [ -z "$repo" ]; then
  echo "== building the stand-in runtime (tests/flatpak/run.sh --runtime-only)"
  tests/flatpak/run.sh --runtime-only >/dev/null
  for dir in "$cache"/runtime-*; do
    [ -f "$dir/complete" ] && repo=$dir/repo
  done
fi
ref=$(ostree --repo="$repo" refs | grep '^runtime/org.gnome.Sdk/')

work=$top/_build/flatpak-sdk
commit=$(ostree --repo="$repo" rev-parse "$ref")
if [ "$(cat "$work/sdk.commit" 2>/dev/null)" != "$commit" ]; then
  rm -rf "$work/sdk"
  mkdir -p "$work"
  ostree --repo="$repo" checkout -U "$ref" "$work/sdk"
  echo "$commit" >"$work/sdk.commit"
fi
mkdir -p "$work/home"

exec 8<> <(:)
Xvfb -displayfd 8 -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
display=
read -r -t 30 display <&8 || true
exec 8<&-
[ -n "$display" ] || { echo "Xvfb did not start" >&2; exit 1; }

sdk=$work/sdk/files
in_sdk () {
  "${as_root[@]}" bwrap --ro-bind "$sdk" /usr --symlink usr/bin /bin --symlink usr/lib /lib \
    --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin --ro-bind "$sdk/etc" /etc \
    --proc /proc --dev /dev --tmpfs /tmp --bind /tmp/.X11-unix /tmp/.X11-unix \
    --ro-bind "$top" /src --bind "$work" /work --die-with-parent \
    --setenv PATH /usr/bin:/bin --setenv HOME /work/home --setenv LC_ALL C.UTF-8 \
    --setenv DISPLAY ":$display" --setenv GSETTINGS_BACKEND memory \
    --setenv GSETTINGS_SCHEMA_DIR /work/build/data "$@"
}

echo "== building in the SDK ($(in_sdk pkg-config --modversion gtk4 | sed 's/^/GTK /'))" >&2
[ -f "$work/build/build.ninja" ] ||
  in_sdk meson setup /work/build /src -Dbuildtype=debugoptimized -Dprofile=default >/dev/null
in_sdk ninja -C /work/build >/dev/null
in_sdk dbus-run-session -- "/work/build/bench/$bench" "$@" 2>/dev/null
