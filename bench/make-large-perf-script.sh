#!/usr/bin/env bash
# Writes, under bench/data/ (git-ignored; never commit it):
#   large.perf.data   one `perf record` of our clone-in-loop crate (before the fix), kept so that
#                     perf-report-based baselines can read the same recording;
#   one.perf.txt      its `perf script` text;
#   large.perf.txt    that text repeated until it is at least SIZE_MB (default 200) MB;
#   large2x.perf.txt  the same text repeated to twice that size (same unique stacks, twice the
#                     samples: shows that collapse memory is bounded by unique stacks, not size).
# Needs cargo and perf. Usage: bench/make-large-perf-script.sh [SIZE_MB]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
size_mb=${1:-200}
data="$here/data"
mkdir -p "$data"
export CARGO_TARGET_DIR="$data/target"
crate="$here/../notebooks/crates/clone-in-loop"
(cd "$crate" && cargo build -q --profile profiling --config 'profile.profiling.inherits="release"' \
  --config profile.profiling.debug=true --config profile.profiling.lto=false)
perf record -q -e cpu-clock -F 997 --call-graph dwarf -o "$data/large.perf.data.partial" "$CARGO_TARGET_DIR/profiling/wordfreq" 200000 1000 >/dev/null 2>&1
mv "$data/large.perf.data.partial" "$data/large.perf.data"
perf script -i "$data/large.perf.data" > "$data/one.perf.txt.partial"
mv "$data/one.perf.txt.partial" "$data/one.perf.txt"
repeat_to() { # repeat_to FILE MB
  : > "$1.partial"
  while [ "$(stat -c %s "$1.partial")" -lt $(($2 * 1000000)) ]; do
    cat "$data/one.perf.txt" >> "$1.partial"
  done
  mv "$1.partial" "$1"
}
repeat_to "$data/large.perf.txt" "$size_mb"
# exactly twice the copies of one.perf.txt that large.perf.txt holds
cat "$data/large.perf.txt" "$data/large.perf.txt" > "$data/large2x.perf.txt.partial"
mv "$data/large2x.perf.txt.partial" "$data/large2x.perf.txt"
ls -la "$data/large.perf.data" "$data/one.perf.txt" "$data/large.perf.txt" "$data/large2x.perf.txt"
