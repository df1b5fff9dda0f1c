#!/usr/bin/env bash
# Imports one package made by Anki itself (50,000 notes, 500,000 reviews; see make_package.py)
# into Anki's own library and into flashdrill (examples/interop_import.rs, release build), on
# this machine in the same run, and prints a table: import time, database size, bytes per
# review and peak memory, with flashdrill/Anki ratios; then Anki's cost of one committed answer.
# Usage: scripts/anki-peer/compare.sh
# Settings: RUNS (default 3, medians are printed), ANKI_PEER_VENV (default /tmp/anki-peer-venv),
# ANKI_PEER_PACKAGE (default /tmp/anki-peer-50k.apkg; made once and reused), ANSWERS (default
# 1000; 0 skips the answer timing), CARGO_TARGET_DIR (default ./target).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${RUNS:-3}
answers=${ANSWERS:-1000}
export ANKI_PEER_VENV=${ANKI_PEER_VENV:-/tmp/anki-peer-venv}
py=$ANKI_PEER_VENV/bin/python
pkg=${ANKI_PEER_PACKAGE:-/tmp/anki-peer-50k.apkg}
work=$(mktemp -d /tmp/anki-peer-run.XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# The value of `key=value` in a file.
kv() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }
# Peak RSS in KiB and wall seconds from a `/usr/bin/time -v` report.
rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0
  for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$1"; }
# Bytes of an SQLite file on disk, with its -wal if one was left.
db_bytes() { local n=0 f; for f in "$1" "$1-wal"; do [[ -f $f ]] && n=$((n + $(stat -c %s "$f"))); done; echo "$n"; }

"$here/setup.sh"
if [[ ! -f $pkg ]]; then
  "$py" "$here/make_package.py" "$pkg"
fi
echo "package: $pkg ($(stat -c %s "$pkg") bytes)"

(cd "$root" && cargo build --release --quiet -p flashdrill-core --example interop_import)
fd_bin=${CARGO_TARGET_DIR:-$root/target}/release/examples/interop_import

a_t=() a_w=() a_db=() a_rss=() f_t=() f_w=() f_db=() f_rss=()
for i in $(seq "$runs"); do
  # Anki: a fresh collection in a new folder; the script times the import call alone.
  /usr/bin/time -v -o "$work/anki$i.time" \
    "$py" "$here/anki_import.py" "$pkg" --dir "$work/anki$i" >"$work/anki$i.out"
  a_t+=("$(kv import_s "$work/anki$i.out")") a_db+=("$(kv db_bytes "$work/anki$i.out")")
  a_w+=("$(wall_s "$work/anki$i.time")") a_rss+=("$(rss_kb "$work/anki$i.time")")
  # flashdrill: a fresh profile folder; the example prints the import call's time as "took N s".
  /usr/bin/time -v -o "$work/fd$i.time" "$fd_bin" "$pkg" "$work/fd$i" >"$work/fd$i.out"
  f_t+=("$(awk '/^took / {print $2}' "$work/fd$i.out")")
  f_db+=("$(db_bytes "$work/fd$i/profile.sqlite3")")
  f_w+=("$(wall_s "$work/fd$i.time")") f_rss+=("$(rss_kb "$work/fd$i.time")")
done
reviews=$(kv revlog "$work/anki1.out")
fd_reviews=$(sed -n 's/^reviews: \([0-9]*\) added.*/\1/p' "$work/fd1.out")
echo "Anki: $(kv cards "$work/anki1.out") cards, $reviews reviews imported;" \
  "flashdrill: ${fd_reviews:-?} reviews added; $runs runs each, medians"

mt=$(median "${a_t[@]}") ft=$(median "${f_t[@]}")
mw=$(median "${a_w[@]}") fw=$(median "${f_w[@]}")
md=$(median "${a_db[@]}") fdb=$(median "${f_db[@]}")
mr=$(median "${a_rss[@]}") fr=$(median "${f_rss[@]}")
awk -v mt="$mt" -v ft="$ft" -v mw="$mw" -v fw="$fw" -v md="$md" -v fd="$fdb" -v mr="$mr" -v fr="$fr" -v n="$reviews" 'BEGIN {
  fmt = "%-30s %14s %14s %10s\n"
  printf fmt, "", "Anki 26.9.3", "flashdrill", "fd/Anki"
  printf fmt, "import call (s)", sprintf("%.2f", mt), sprintf("%.2f", ft), sprintf("%.2f", ft / mt)
  printf fmt, "whole process (s)", sprintf("%.2f", mw), sprintf("%.2f", fw), sprintf("%.2f", fw / mw)
  printf fmt, "database on disk (bytes)", md, fd, sprintf("%.2f", fd / md)
  printf fmt, "bytes per review (db/reviews)", sprintf("%.1f", md / n), sprintf("%.1f", fd / n), sprintf("%.2f", fd / md)
  printf fmt, "peak RSS (MiB)", sprintf("%.1f", mr / 1024), sprintf("%.1f", fr / 1024), sprintf("%.2f", fr / mr)
}'
echo "Anki's peak RSS includes Python and the anki library: $(($(kv rss_before_import_kb "$work/anki1.out") / 1024)) MiB before the import."
echo "Anki's database holds the notes too; flashdrill keeps them in deck files:" \
  "$(du -sb "$work/fd1/decks" | cut -f1) bytes (not counted above)."
echo "Import call per run (s): Anki ${a_t[*]}; flashdrill ${f_t[*]}"
echo "Bytes per table, indexes included (Anki, then flashdrill):"
python3 "$here/table_sizes.py" "$work/anki1/collection.anki2" | sed -n '1,4s/^/  anki /p'
python3 "$here/table_sizes.py" "$work/fd1/profile.sqlite3" | sed -n '1,4s/^/  flashdrill /p'

if ((answers > 0)); then
  "$py" "$here/anki_import.py" "$pkg" --dir "$work/answer" --answer "$answers" >"$work/answer.out"
  echo "Anki answer -> committed (col.sched.answer_card, WAL synchronous=FULL," \
    "$(kv answered "$work/answer.out") answers): median $(kv answer_us_median "$work/answer.out") us," \
    "p90 $(kv answer_us_p90 "$work/answer.out") us"
  # One commit costs at least one fsync of the WAL: this disk's own, for scale.
  python3 - "$work/fsync" <<'PY'
import os, statistics, sys, time
fd, took = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT), []
for _ in range(200):
    os.write(fd, b"x" * 4096)
    t0 = time.perf_counter()
    os.fsync(fd)
    took.append((time.perf_counter() - t0) * 1e6)
print(f"this disk's fsync of 4 KiB: median {statistics.median(took):.0f} us")
PY
fi
