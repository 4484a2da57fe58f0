#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `meson install` into a fresh folder (DESTDIR), checks that every file lands where a desktop looks
# for it and validates as installed, then starts the installed drs-monitor in demo mode under a
# private Xvfb and D-Bus session and waits until its window shows the demo's rows.
#
# Usage: install-test.sh MESON BUILD_ROOT APP_ID PREFIX BINDIR DATADIR LOCALEDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

meson_cmd=$1 build=$2 app_id=$3 prefix=$4 bindir=$5 datadir=$6 localedir=$7
need desktop-file-validate appstreamcli Xvfb xwininfo import convert dbus-run-session python3
[ -n "$meson_cmd" ] || { echo "SKIP: meson is not installed"; exit 77; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/drs-install-XXXXXX")
app_pid=
xvfb_pid=
cleanup () {
  stop_group "$app_pid"
  [ -z "$xvfb_pid" ] || { kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null || true; }
  rm -rf "$tmp"
}
trap cleanup EXIT

dest=$tmp/dest
# $meson_cmd may be "python3 /path/meson.py": split it on purpose.
# shellcheck disable=SC2086
$meson_cmd install -C "$build" --no-rebuild --quiet --destdir "$dest" >"$tmp/install.log" 2>&1 || {
  cat "$tmp/install.log"
  echo "FAIL: meson install"
  exit 1
}

share=$dest$datadir
failed=0
for f in "$dest$bindir/drs-monitor" "$dest$bindir/drs-progress" "$dest$bindir/drs-simulator" \
  "$share/applications/$app_id.desktop" \
  "$share/metainfo/$app_id.metainfo.xml" \
  "$share/glib-2.0/schemas/$app_id.gschema.xml" \
  "$share/dbus-1/services/$app_id.service" \
  "$share/icons/hicolor/scalable/apps/$app_id.svg" \
  "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
  "$dest$localedir/zh_CN/LC_MESSAGES/drs-monitor.mo"; do
  if [ -e "$f" ]; then
    echo "ok: ${f#"$dest"}"
  else
    echo "FAIL: ${f#"$dest"} was not installed"
    failed=1
  fi
done
[ $failed = 0 ] || exit 1
[ -x "$dest$bindir/drs-monitor" ] || { echo "FAIL: drs-monitor is not executable"; exit 1; }
grep -qx "Exec=$bindir/drs-monitor --gapplication-service" "$share/dbus-1/services/$app_id.service" || {
  echo "FAIL: the D-Bus service does not run $bindir/drs-monitor"
  exit 1
}

desktop-file-validate "$share/applications/$app_id.desktop"
appstreamcli validate --no-net "$share/metainfo/$app_id.metainfo.xml" >/dev/null
# What the post-install step does on a real system (meson skips it under DESTDIR).
glib-compile-schemas --strict "$share/glib-2.0/schemas"
echo "ok: the installed desktop file, metainfo and schema validate"

# Run the installed program: it finds its schema and icon through XDG_DATA_DIRS alone.
start_xvfb
mkdir -p "$tmp/home"
(
  unset GSETTINGS_SCHEMA_DIR DBUS_SESSION_BUS_ADDRESS
  export HOME=$tmp/home XDG_DATA_HOME=$tmp/home/data XDG_CONFIG_HOME=$tmp/home/config \
    XDG_CACHE_HOME=$tmp/home/cache XDG_STATE_HOME=$tmp/home/state \
    XDG_DATA_DIRS=$share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share} \
    DRS_MONITOR_LOCALEDIR=$dest$localedir GSETTINGS_BACKEND=memory G_DEBUG=
  exec setsid dbus-run-session -- "$dest$bindir/drs-monitor" --demo
) >"$tmp/app.log" 2>&1 &
app_pid=$!

window=$(wait_window "$app_pid" 60) || {
  cat "$tmp/app.log"
  echo "FAIL: the installed drs-monitor showed no window"
  exit 1
}
echo "ok: window $window appeared"
shot=$build/tests/installed-demo.png
state=$(wait_rows "$window" "$shot" 8 60) || {
  cat "$tmp/app.log"
  echo "FAIL: the demo table shows no rows ($state, see $shot)"
  exit 1
}
echo "ok: the installed drs-monitor --demo shows its table ($state); screenshot $shot"
