#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The manifest's test rule (`ninja flatpak-tests`): runs the test suite inside flatpak-builder's
# build sandbox, on a private D-Bus session. The window tests need a display: tests/flatpak/run.sh
# lends its Xvfb (test-args --socket=x11); without one they are skipped, and said so.
set -eu
build=$1
set -- --no-rebuild --print-errorlogs --timeout-multiplier 3
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "flatpak-tests: no display in the build sandbox, so the gui suite is skipped"
  set -- "$@" --no-suite gui
fi
# Inside a sandbox GLib sends notifications to the portal, which the build sandbox has not; the
# tests bring their own org.gtk.Notifications server, so notifications go there, as on a desktop.
export GNOTIFICATION_BACKEND=gtk
exec dbus-run-session -- meson test -C "$build" "$@"
