#!/usr/bin/env bash
# Writes bench/data/huge.perf.txt (git-ignored; never commit it): the `perf script` text of one
# real recording of our clone-in-loop crate (bench/data/one.perf.txt, made by
# make-large-perf-script.sh, which this runs first when it is missing) repeated until the file is
# at least SIZE_MB (default 1000) MB. Same unique stacks as large.perf.txt (200 MB), five times
# the samples: bench/scale.ts shows that reading it needs no more memory.
# Usage: bench/make-huge-perf-script.sh [SIZE_MB]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
size_mb=${1:-1000}
data="$here/data"
[ -s "$data/one.perf.txt" ] || "$here/make-large-perf-script.sh"
out="$data/huge.perf.txt"
: > "$out.partial"
while [ "$(stat -c %s "$out.partial")" -lt $((size_mb * 1000000)) ]; do
  cat "$data/one.perf.txt" >> "$out.partial"
done
mv "$out.partial" "$out"
ls -la "$out"
