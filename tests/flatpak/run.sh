#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The Flatpak install test: proves that flatpak/io.github.drsmonitor.DrsMonitor.json builds,
# installs and runs, offline.
#
#  1. Builds a stand-in org.gnome.Platform and org.gnome.Sdk of the manifest's runtime-version from
#     Debian 13 packages (debootstrap from the machine's own Debian mirror), exported into a local
#     OSTree repo. The repo is cached (see DRS_FLATPAK_CACHE), so the next run skips this step.
#  2. Builds the manifest with flatpak-builder (the manifest's tests run inside the build) and
#     installs the app into a throw-away user installation.
#  3. Runs it with `flatpak run APP_ID --demo` under a private Xvfb and D-Bus session, waits for its
#     window, waits until the demo table shows rows and saves a screenshot.
#  4. Stops what it started and removes its work folder; the cache stays.
#
# Usage: tests/flatpak/run.sh [--runtime-only]
# Environment:
#   DRS_SKIP_FLATPAK     1: skip the test (for quick local iterations; ignored when CI=true)
#   DRS_FLATPAK_CACHE    cache folder (default: $XDG_CACHE_HOME/drs-monitor-flatpak, or ~/.cache/...)
#   DRS_FLATPAK_REFRESH  1: rebuild the stand-in runtime even when cached
#   DRS_FLATPAK_OUT      where the screenshot and logs go (default: _build/flatpak-test)
#   DRS_DEBIAN_MIRROR    Debian mirror (default: the first Debian mirror in /etc/apt/sources.list*)
#   DRS_FLATPAK_KEEP     1: keep the work folder for inspection
#   DRS_FLATPAK_TESTS    0: build without running the manifest's tests (diagnosis; ignored in CI)
#   DRS_FLATPAK_SOURCE   the source tree to build (default: this checkout, as it is)
#
# Prints "FLATPAK TEST: PASS" or "FLATPAK TEST: FAIL (reason)" as its last line; exits 0 on pass.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# The tree to build: this checkout, or another one (e.g. a `git archive` of a commit).
source_tree=$(cd "${DRS_FLATPAK_SOURCE:-$top}" && pwd)
manifest=$source_tree/flatpak/io.github.drsmonitor.DrsMonitor.json
# wait_window, wait_rows, tick
. "$top/tests/desktop/lib.sh"
runtime_only=0
[ "${1:-}" = --runtime-only ] && runtime_only=1

started=$(date +%s)
phase_start=$started
phase () {
  local now
  now=$(date +%s)
  echo "== [$((now - started)) s] $*"
  phase_start=$now
}

fail () {
  echo "FLATPAK TEST: FAIL ($*)"
  exit 1
}

# A quick local iteration may skip this test; CI never does.
if [ "${DRS_SKIP_FLATPAK:-0}" = 1 ]; then
  if [ "${CI:-}" = true ]; then
    echo "DRS_SKIP_FLATPAK=1 is ignored: CI=true always runs the Flatpak test"
  else
    echo "FLATPAK TEST: SKIPPED (DRS_SKIP_FLATPAK=1; CI never skips it)"
    exit 0
  fi
fi

for tool in flatpak flatpak-builder debootstrap ostree bwrap eu-strip Xvfb xwininfo import convert \
  dbus-run-session python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed: run build-aux/deps.sh test"
done

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

# --- What the manifest asks for -----------------------------------------------------------------

manifest_fields=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m.get("id") or m["app-id"], m["runtime"], m["runtime-version"], m["sdk"])' "$manifest") ||
  fail "cannot read $manifest"
read -r app_id runtime runtime_version sdk <<<"$manifest_fields"
[ "$runtime" = org.gnome.Platform ] && [ "$sdk" = org.gnome.Sdk ] ||
  fail "the manifest must use org.gnome.Platform/org.gnome.Sdk, not $runtime/$sdk"

# --- The stand-in runtime (cached) --------------------------------------------------------------

suite=trixie
platform_pkgs=(
  libgtk-4-1 libadwaita-1-0 libsoup-3.0-0 libjson-glib-1.0-0 libsecret-1-0 libsqlite3-0
  libportal1 libportal-gtk4-1 glib-networking libglib2.0-bin ca-certificates shared-mime-info hicolor-icon-theme
  adwaita-icon-theme librsvg2-common fonts-dejavu-core fonts-cantarell
)
sdk_pkgs=(
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libsqlite3-dev
  libportal-dev libportal-gtk4-dev meson ninja-build gcc libc6-dev pkg-config gettext appstream-util appstream desktop-file-utils
  elfutils dbus-daemon openssl libxml2-utils
)

cache=${DRS_FLATPAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drs-monitor-flatpak}
key=$(printf '%s\n' "$suite" "$runtime_version" "${platform_pkgs[*]}" "${sdk_pkgs[*]}" v1 |
  sha256sum | cut -c1-16)
runtime_repo=$cache/runtime-$runtime_version-$key/repo

debian_mirror () {
  if [ -n "${DRS_DEBIAN_MIRROR:-}" ]; then
    echo "$DRS_DEBIAN_MIRROR"
    return
  fi
  local url
  url=$( (
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; break } }'
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" { print $2 }'
  ) | grep -E '/debian/?$' | head -n1)
  echo "${url:-http://deb.debian.org/debian}"
}

# Runs a command as root inside a Debian tree.
in_tree () {
  local tree=$1; shift
  "${as_root[@]}" bwrap --bind "$tree" / --proc /proc --dev /dev --perms 1777 --tmpfs /tmp \
    --ro-bind /etc/resolv.conf /etc/resolv.conf --die-with-parent \
    --setenv DEBIAN_FRONTEND noninteractive --setenv PATH /usr/sbin:/usr/bin:/sbin:/bin \
    --setenv LC_ALL C.UTF-8 "$@"
}

# Exports the tree's /usr (with its /etc as files/etc) as a runtime named $1.
export_runtime () {
  local name=$1 tree=$2 rt=$3
  "${as_root[@]}" rm -rf "$rt"
  mkdir -p "$rt"
  "${as_root[@]}" mv "$tree/usr" "$rt/files"
  "${as_root[@]}" mv "$tree/etc" "$rt/files/etc"
  "${as_root[@]}" rm -f "$rt"/files/etc/{shadow,gshadow,shadow-,gshadow-}
  cat >"$rt/metadata" <<EOF
[Runtime]
name=$name
runtime=org.gnome.Platform/x86_64/$runtime_version
sdk=org.gnome.Sdk/x86_64/$runtime_version
EOF
  "${as_root[@]}" flatpak build-export --runtime --files=files "$runtime_repo" "$rt" \
    "$runtime_version" >/dev/null
  # Back into the tree, so the SDK can be made from the platform.
  "${as_root[@]}" mv "$rt/files/etc" "$tree/etc"
  "${as_root[@]}" mv "$rt/files" "$tree/usr"
}

build_runtime () {
  local tmp mirror
  tmp=$cache/tmp-$key
  mirror=$(debian_mirror)
  "${as_root[@]}" rm -rf "$tmp" "$(dirname "$runtime_repo")"
  mkdir -p "$tmp"

  phase "debootstrap $suite from $mirror"
  "${as_root[@]}" debootstrap --variant=minbase "$suite" "$tmp/tree" "$mirror" \
    >"$tmp/debootstrap.log" 2>&1 || {
    tail -n 20 "$tmp/debootstrap.log"
    fail "debootstrap failed"
  }
  # No services start inside the tree.
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$tmp/tree/usr/sbin/policy-rc.d" >/dev/null
  "${as_root[@]}" chmod 755 "$tmp/tree/usr/sbin/policy-rc.d"

  phase "installing the platform packages"
  in_tree "$tmp/tree" apt-get update -q >"$tmp/apt.log" 2>&1 &&
    in_tree "$tmp/tree" apt-get install -y -q --no-install-recommends "${platform_pkgs[@]}" \
      >>"$tmp/apt.log" 2>&1 || {
    tail -n 30 "$tmp/apt.log"
    fail "installing the platform packages failed"
  }

  phase "exporting $runtime//$runtime_version"
  "${as_root[@]}" mkdir -p "$runtime_repo"
  "${as_root[@]}" ostree init --mode=bare-user-only --repo="$runtime_repo"
  export_runtime org.gnome.Platform "$tmp/tree" "$tmp/platform"

  phase "installing the SDK packages"
  in_tree "$tmp/tree" apt-get install -y -q --no-install-recommends "${sdk_pkgs[@]}" \
    >>"$tmp/apt.log" 2>&1 || {
    tail -n 30 "$tmp/apt.log"
    fail "installing the SDK packages failed"
  }
  in_tree "$tmp/tree" apt-get clean

  phase "exporting $sdk//$runtime_version"
  export_runtime org.gnome.Sdk "$tmp/tree" "$tmp/sdk"
  if [ ${#as_root[@]} -gt 0 ]; then
    "${as_root[@]}" chown -R "$(id -u):$(id -g)" "$(dirname "$runtime_repo")"
  fi
  "${as_root[@]}" rm -rf "$tmp"
  touch "$(dirname "$runtime_repo")/complete"
}

mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
if [ "${DRS_FLATPAK_REFRESH:-0}" = 1 ] || [ ! -f "$(dirname "$runtime_repo")/complete" ]; then
  phase "building the stand-in runtime (not cached yet) into $cache"
  # Older stand-ins of this version are replaced.
  for old in "$cache"/runtime-*; do
    [ -e "$old" ] && [ "$old" != "$(dirname "$runtime_repo")" ] && "${as_root[@]}" rm -rf "$old"
  done
  build_runtime
else
  phase "using the cached stand-in runtime $(dirname "$runtime_repo")"
fi
flock -u 9
if [ $runtime_only = 1 ]; then
  echo "FLATPAK TEST: PASS (runtime only)"
  exit 0
fi

# --- A throw-away Flatpak installation ----------------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/drs-flatpak-XXXXXX")
out=${DRS_FLATPAK_OUT:-$top/_build/flatpak-test}
mkdir -p "$out"
xvfb_pid=
app_pid=

cleanup () {
  local rc=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  if [ "${DRS_FLATPAK_KEEP:-0}" = 1 ]; then
    echo "kept $work"
  else
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export HOME=$work/home
export XDG_RUNTIME_DIR=$work/run
export XDG_DATA_HOME=$HOME/.local/share XDG_CONFIG_HOME=$HOME/.config XDG_CACHE_HOME=$HOME/.cache
export FLATPAK_USER_DIR=$work/user FLATPAK_SYSTEM_DIR=$work/system FLATPAK_CONFIG_DIR=$work/config
mkdir -p "$HOME" "$FLATPAK_USER_DIR" "$FLATPAK_SYSTEM_DIR" "$FLATPAK_CONFIG_DIR"
mkdir -m 700 -p "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY

phase "installing $runtime//$runtime_version and $sdk//$runtime_version into $FLATPAK_USER_DIR"
flatpak remote-add --user --no-gpg-verify standin "file://$runtime_repo"
flatpak install --user -y --noninteractive standin "$runtime//$runtime_version" \
  "$sdk//$runtime_version" >"$out/install-runtime.log" 2>&1 || {
  tail -n 20 "$out/install-runtime.log"
  fail "installing the stand-in runtime failed"
}

# One private X server: the window tests inside the build and the app both use it.
exec 8<> <(:)
Xvfb -displayfd 8 -screen 0 1440x900x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
display=
deadline=$((SECONDS + 30))
while [ -z "$display" ] && [ $SECONDS -lt $deadline ]; do
  read -r -t 1 display <&8 || true
done
exec 8<&-
[ -n "$display" ] || fail "Xvfb did not start"
export DISPLAY=:$display

phase "flatpak-builder $(basename "$manifest") (with its tests, on DISPLAY=$DISPLAY)"
builder_args=()
if [ "${DRS_FLATPAK_TESTS:-1}" = 0 ] && [ "${CI:-}" != true ]; then
  echo "DRS_FLATPAK_TESTS=0: the manifest's tests are not run (never in CI)"
  builder_args+=(--disable-tests)
fi
(cd "$work" && flatpak-builder "${builder_args[@]}" --user --disable-rofiles-fuse --force-clean \
  --state-dir="$work/state" --repo="$work/repo" "$work/build" "$manifest") \
  >"$out/flatpak-builder.log" 2>&1 || {
  tail -n 60 "$out/flatpak-builder.log"
  fail "flatpak-builder failed; see $out/flatpak-builder.log"
}

phase "flatpak install $app_id"
flatpak remote-add --user --no-gpg-verify app "file://$work/repo"
flatpak install --user -y --noninteractive app "$app_id" >"$out/install-app.log" 2>&1 || {
  tail -n 20 "$out/install-app.log"
  fail "installing $app_id failed"
}
flatpak info --user "$app_id" | sed -n '1,12p'

# The desktop sees the app: flatpak exported its desktop file, D-Bus service and icons, and
# flatpak-builder composed the AppStream data from the metainfo.
for f in "applications/$app_id.desktop" "dbus-1/services/$app_id.service" \
  "icons/hicolor/scalable/apps/$app_id.svg" "icons/hicolor/symbolic/apps/$app_id-symbolic.svg"; do
  [ -e "$FLATPAK_USER_DIR/exports/share/$f" ] || fail "flatpak did not export share/$f"
done
ls "$work"/build/files/share/app-info/xmls/"$app_id".xml* >/dev/null 2>&1 ||
  fail "no AppStream data was composed from the metainfo"
echo "exported: desktop file, D-Bus service, icons; AppStream data composed"

# Every symbolic icon the program names must exist in the runtime's icon themes or the app's own.
missing=$(dbus-run-session -- flatpak run --user --command=sh "$app_id" -c '
  for n in $(grep -aoE "[A-Za-z0-9.-]+-symbolic" /app/bin/drs-monitor | sort -u); do
    find /usr/share/icons /app/share/icons -name "$n.*" | grep -q . || echo "$n"
  done' 2>/dev/null)
[ -z "$missing" ] || fail "icons named by drs-monitor are missing from the runtime: $(echo $missing)"
echo "every symbolic icon drs-monitor names is in the runtime"

# --- Run it ------------------------------------------------------------------------------------

phase "flatpak run $app_id --demo under Xvfb"

setsid dbus-run-session -- flatpak run --user "$app_id" --demo >"$out/app.log" 2>&1 &
app_pid=$!

window=$(wait_window "$app_pid" 90) || {
  cat "$out/app.log"
  fail "the window of $app_id did not appear"
}
echo "window $window: $(xwininfo -id "$window" | awk '/Width|Height/ { printf "%s ", $2 }')"

state=$(wait_rows "$window" "$out/flatpak-demo.png" 8 90) || {
  cat "$out/app.log"
  fail "the demo table shows no rows ($state; see $out/flatpak-demo.png)"
}
rows=${state#rows=}
rows=${rows%% *}
echo "the demo table shows $rows rows; screenshot: $out/flatpak-demo.png"

phase "stopping $app_id"
flatpak kill "$app_id" 2>/dev/null || true
deadline=$((SECONDS + 10))
while kill -0 "$app_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
  tick 0.2
done

phase "done; disk: cache $(du -sh "$cache" | cut -f1), work folder $(du -sh "$work" 2>/dev/null | cut -f1)"
echo "FLATPAK TEST: PASS ($app_id built, installed and showed $rows demo rows in $(($(date +%s) - started)) s)"
