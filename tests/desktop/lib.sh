# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the desktop tests: a private Xvfb, waiting for the window, reading its rows.
# Every wait polls with a deadline; nothing sleeps for a fixed time.

# Exit status 77 tells meson the test was skipped.
need () {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: $tool is not installed"
      exit 77
    fi
  done
}

# Waits a little (at most $1 s) without a fixed sleep: a read that times out.
tick () {
  read -r -t "${1:-0.1}" <> <(:) || true
}

# Starts a private X server and exports DISPLAY. Sets xvfb_pid.
start_xvfb () {
  local display= deadline
  exec 8<> <(:)
  Xvfb -displayfd 8 -screen 0 1440x900x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  deadline=$((SECONDS + 30))
  while [ -z "$display" ] && [ $SECONDS -lt $deadline ]; do
    read -r -t 1 display <&8 || true
  done
  exec 8<&-
  if [ -z "$display" ]; then
    echo "FAIL: Xvfb did not start"
    exit 1
  fi
  export DISPLAY=:$display
}

# Lists the toplevel windows titled "DRS Monitor" that are large enough to be the main window.
main_windows () {
  xwininfo -root -tree 2>/dev/null |
    awk '/"DRS Monitor"/ && / [0-9][0-9][0-9]+x[0-9][0-9][0-9]+\+/ { print $1 }'
}

# Waits until the main window exists (or $2 s pass, or process $1 exits); prints its id.
wait_window () {
  local pid=$1 deadline=$((SECONDS + ${2:-60})) window=
  while [ $SECONDS -lt "$deadline" ]; do
    window=$(main_windows | head -n1)
    if [ -n "$window" ]; then
      echo "$window"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    tick 0.2
  done
  return 1
}

# Screenshots window $1 into $2 and prints "rows=N selected=M" (and "changed=P" against an earlier
# screenshot $3).
window_state () {
  import -window "$1" "$2" 2>/dev/null &&
    python3 "$(dirname "${BASH_SOURCE[0]}")/window-rows.py" "$2" ${3:+"$3"}
}

# Waits until window $1 shows at least $3 rows in two screenshots in a row (so that a page
# transition is over; the last one stays in $2); prints the last state.
wait_rows () {
  local window=$1 shot=$2 want=$3 deadline=$((SECONDS + ${4:-60})) state= rows hits=0
  while [ $SECONDS -lt "$deadline" ]; do
    state=$(window_state "$window" "$shot" || echo "rows=0 selected=0")
    rows=${state#rows=}
    rows=${rows%% *}
    if [ "$rows" -ge "$want" ]; then
      hits=$((hits + 1))
      if [ $hits -ge 2 ]; then
        echo "$state"
        return 0
      fi
    else
      hits=0
    fi
    tick 0.3
  done
  echo "$state"
  return 1
}

# Kills the process group led by $1 (started with setsid) and waits for it.
stop_group () {
  local pid=$1
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
