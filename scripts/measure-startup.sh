#!/usr/bin/env bash
# Start-up time, memory and idle CPU of flashdrill beside a bare eframe window built with the
# same eframe features (examples/bare_window.rs), both release builds under Xvfb.
# Usage: scripts/measure-startup.sh [runs]   (needs xvfb; apt-get install -y xvfb)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet --bin flashdrill --example bare_window
export DISPLAY=${DISPLAY_FOR_MEASURE:-:91}
if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1; then
  Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
  sleep 1
fi
export XDG_RUNTIME_DIR=$(mktemp -d); chmod 700 "$XDG_RUNTIME_DIR"
# A data directory to start with (e.g. a profile with history); default: a new, empty one.
data=${MEASURE_DATA_DIR:-$(mktemp -d)}
hz=$(getconf CLK_TCK)

measure() {
  local name=$1; shift
  local frames=() pss=() cpu=()
  for _ in $(seq "$runs"); do
    local out; out=$(mktemp)
    FLASHDRILL_MEASURE_STARTUP=1 "$@" >"$out" 2>/dev/null &
    local pid=$!
    for _ in $(seq 100); do grep -q first-frame-ms "$out" && break; sleep 0.05; done
    frames+=("$(awk '/first-frame-ms/ {print $2}' "$out")")
    sleep 2
    pss+=("$(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)")
    local t0; t0=$(awk '{print $14+$15}' /proc/$pid/stat)
    sleep 5
    local t1; t1=$(awk '{print $14+$15}' /proc/$pid/stat)
    cpu+=("$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN {printf "%.2f", 100*(b-a)/hz/5}')")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -f "$out"
  done
  local med_frame; med_frame=$(printf '%s\n' "${frames[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  local med_pss; med_pss=$(printf '%s\n' "${pss[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-11s first frame %7.1f ms (median of %s: %s)  PSS %6.1f MiB  idle CPU %s %%\n' \
    "$name" "$med_frame" "$runs" "${frames[*]}" "$(awk -v k="$med_pss" 'BEGIN {print k/1024}')" "${cpu[*]}"
}

measure bare target/release/examples/bare_window
measure flashdrill target/release/flashdrill --data-dir "$data"
