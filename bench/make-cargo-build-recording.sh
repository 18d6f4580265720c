#!/usr/bin/env bash
# Writes bench/data/cargo-build.perf.txt (git-ignored; never commit it): a real recording of
# `cargo build --release` of our crate notebooks/crates/clone-in-loop from a clean target
# directory — cargo, rustc, LLVM, the linker and the kernel, as a user profiling a build sees them.
# bench/render.ts draws it as its "real cargo build" input (about 2–3k flame-tree nodes; the
# exact count varies with sampling and prints at the end).
# Needs cargo and perf (root, or kernel.perf_event_paranoid <= 2 for one's own processes).
# `perf script` unwinding DWARF stacks of rustc takes a few minutes.
# Usage: bench/make-cargo-build-recording.sh [FREQ]   (default 1999 Hz)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
freq=${1:-1999}
data="$here/data"
work=$(mktemp -d /tmp/flamebook-cargo-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$data"
export CARGO_TARGET_DIR="$work/target"
crate="$here/../notebooks/crates/clone-in-loop"
(cd "$crate" && perf record -q -F "$freq" --call-graph dwarf,16384 -e cpu-clock -o "$work/perf.data" -- cargo build -q --release)
perf script -i "$work/perf.data" > "$data/cargo-build.perf.txt.partial" 2>/dev/null
mv "$data/cargo-build.perf.txt.partial" "$data/cargo-build.perf.txt"
ls -la "$data/cargo-build.perf.txt"
node --import tsx -e '
  (async () => {
    const { open } = await import(process.argv[1] + "/../src/index.ts");
    const t = (await open(process.argv[2])).flamegraph().tree;
    console.log(`${t.nodes.frame.length} flame-tree nodes`);
  })();
' "$here" "$data/cargo-build.perf.txt"
