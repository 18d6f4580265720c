#!/usr/bin/env bash
# Writes bench/data/large.perf.txt: `perf script` output of our clone-in-loop crate (before the
# fix), repeated until it is at least SIZE_MB (default 200) MB. Needs cargo and perf.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
size_mb=${1:-200}
data="$here/data"
mkdir -p "$data"
export CARGO_TARGET_DIR="$data/target"
crate="$here/../notebooks/crates/clone-in-loop"
(cd "$crate" && cargo build -q --profile profiling --config 'profile.profiling.inherits="release"' \
  --config profile.profiling.debug=true --config profile.profiling.lto=false)
perf record -q -e cpu-clock -F 997 --call-graph dwarf -o "$data/one.data" "$CARGO_TARGET_DIR/profiling/wordfreq" 200000 1000 >/dev/null 2>&1
perf script -i "$data/one.data" > "$data/one.perf.txt"
: > "$data/large.perf.txt.partial"
while [ "$(stat -c %s "$data/large.perf.txt.partial")" -lt $((size_mb * 1000000)) ]; do
  cat "$data/one.perf.txt" >> "$data/large.perf.txt.partial"
done
mv "$data/large.perf.txt.partial" "$data/large.perf.txt"
rm -f "$data/one.data"
ls -la "$data/large.perf.txt"
