#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line of drs-monitor, on a private D-Bus session and X server:
#  - --help lists --demo, --job and --version; --version prints the version; a bad option fails;
#  - single instance: a second `drs-monitor --job ID` exits 0 at once, opens no second window, and
#    the first instance selects that task;
#  - D-Bus activation: org.freedesktop.Application.Activate on the app id starts
#    `drs-monitor --gapplication-service` from the service file and shows the window; the
#    exported app.quit action ends it.
#
# Usage: cli-test.sh DRS_MONITOR VERSION APP_ID SCENARIO_JSON
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

exe=$(realpath "$1") version=$2 app_id=$3 scenario=$4
need Xvfb xwininfo import convert dbus-run-session gdbus python3
object_path=/$(echo "$app_id" | tr . /)

if [ "${DRS_CLI_TEST_INNER:-}" != 1 ]; then
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/drs-cli-XXXXXX")
  [ -n "${DRS_TEST_KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
  # The D-Bus service for activation, found through XDG_DATA_DIRS by the private bus.
  mkdir -p "$tmp/share/dbus-1/services" "$tmp/home"
  printf '[D-BUS Service]\nName=%s\nExec=%s --gapplication-service\n' "$app_id" "$exe" \
    >"$tmp/share/dbus-1/services/$app_id.service"
  unset DBUS_SESSION_BUS_ADDRESS
  DRS_CLI_TEST_INNER=1 DRS_CLI_TEST_TMP=$tmp HOME=$tmp/home XDG_DATA_HOME=$tmp/home/data \
    XDG_CONFIG_HOME=$tmp/home/config XDG_CACHE_HOME=$tmp/home/cache \
    XDG_STATE_HOME=$tmp/home/state \
    XDG_DATA_DIRS=$tmp/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share} \
    dbus-run-session -- "$0" "$@" 2>&1
  exit $?
fi

tmp=$DRS_CLI_TEST_TMP
first_pid=
second_pid=
xvfb_pid=
cleanup () {
  stop_group "$second_pid"
  stop_group "$first_pid"
  [ -z "$xvfb_pid" ] || { kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null || true; }
}
trap cleanup EXIT

fail () {
  echo "FAIL: $*"
  [ ! -f "$tmp/first.log" ] || sed 's/^/  first: /' "$tmp/first.log"
  exit 1
}

# --- --help, --version, a bad option --------------------------------------------------------

help=$("$exe" --help) || fail "--help exited with $?"
for opt in --demo --job --version; do
  grep -q -- "$opt" <<<"$help" || fail "--help does not list $opt"
done
echo "ok: --help lists --demo, --job and --version"

out=$("$exe" --version) || fail "--version exited with $?"
[ "$out" = "drs-monitor $version" ] || fail "--version printed '$out'"
echo "ok: --version prints '$out'"

if "$exe" --no-such-option >"$tmp/bad.log" 2>&1; then
  fail "an unknown option was accepted"
fi
grep -q -- "--no-such-option" "$tmp/bad.log" || fail "an unknown option is not named in the error"
echo "ok: an unknown option fails and is named"

# --- Single instance --------------------------------------------------------------------------

job_id=$(python3 -c '
import json, sys
data = json.load(open(sys.argv[1]))
jobs = data["jobs"] if isinstance(data, dict) else data
print(jobs[0]["id"])' "$scenario")

start_xvfb
setsid "$exe" --demo >"$tmp/first.log" 2>&1 &
first_pid=$!
window=$(wait_window "$first_pid" 60) || fail "the first instance showed no window"
state=$(wait_rows "$window" "$tmp/before.png" 8 60) || fail "the demo shows no rows ($state)"
case $state in
  *" selected=0") ;;
  *) fail "a row is selected before --job ($state)" ;;
esac
echo "ok: the first instance shows the demo ($state)"

start=$SECONDS
setsid "$exe" --job "$job_id" >"$tmp/second.log" 2>&1 &
second_pid=$!
deadline=$((SECONDS + 20))
while kill -0 "$second_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
  tick 0.1
done
kill -0 "$second_pid" 2>/dev/null && fail "the second instance is still running after 20 s"
status=0
wait "$second_pid" || status=$?
second_pid=
[ $status = 0 ] || fail "the second instance exited with $status: $(cat "$tmp/second.log")"
echo "ok: the second instance exited 0 in $((SECONDS - start)) s"

n=$(main_windows | wc -l)
[ "$n" = 1 ] || fail "$n main windows after the second launch"
kill -0 "$first_pid" 2>/dev/null || fail "the first instance is gone"

# The task is selected: its row is highlighted, or the details pane changed from "No Task Selected".
deadline=$((SECONDS + 20))
shown=0
while [ $SECONDS -lt $deadline ]; do
  state=$(window_state "$window" "$tmp/after.png" "$tmp/before.png" || echo "rows=0 selected=0 changed=0")
  selected=${state#*selected=}
  selected=${selected%% *}
  changed=${state##*changed=}
  if [ "$selected" -ge 10 ] || [ "$changed" -ge 3 ]; then
    shown=1
    break
  fi
  tick 0.3
done
[ $shown = 1 ] || fail "the first instance did not show task $job_id ($state)"
echo "ok: the first instance selected $job_id ($state)"

stop_group "$first_pid"
first_pid=

# Wait until the name is free again before activating.
deadline=$((SECONDS + 20))
while gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.NameHasOwner "$app_id" 2>/dev/null | grep -q true; do
  [ $SECONDS -lt $deadline ] || fail "$app_id is still owned after the first instance ended"
  tick 0.1
done

# --- D-Bus activation ---------------------------------------------------------------------------

# As a desktop session does: activated services get the display.
gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.UpdateActivationEnvironment "{'DISPLAY': '$DISPLAY'}" >/dev/null
gdbus call --session --dest "$app_id" --object-path "$object_path" \
  --method org.freedesktop.Application.Activate '{}' >/dev/null ||
  fail "D-Bus activation of $app_id failed"
pid=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
  --method org.freedesktop.DBus.GetConnectionUnixProcessID "$app_id" | tr -dc '0-9 ' | awk '{ print $NF }')
[ -n "$pid" ] || fail "nobody owns $app_id after activation"
window=$(wait_window "$pid" 60) || fail "the D-Bus activated instance showed no window"
echo "ok: D-Bus activation started pid $pid with window $window"
gdbus call --session --dest "$app_id" --object-path "$object_path" \
  --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null || fail "app.quit failed"
deadline=$((SECONDS + 20))
while kill -0 "$pid" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || { kill "$pid"; fail "app.quit did not end the activated instance"; }
  tick 0.1
done
echo "ok: app.quit ended the activated instance"
