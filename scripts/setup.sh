#!/usr/bin/env bash
# flamebook's one setup script, for a fresh Debian machine with Node 20 and Rust, and for CI.
# Installs the Debian packages the project needs, the npm dependencies (npm ci) and builds.
# Idempotent: packages already installed are not fetched again and `apt-get update` runs at
# most once per call. Works as root with no stdin (uses `sudo -n` when not root).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# linux-perf: sampling (perf record/script); valgrind: callgrind/cachegrind instruction counts;
# binutils: nm and c++filt, the reference the Rust demangler's conformance test compares with;
# chromium: the headless browser the widget tests drive through playwright-core (never a
# downloaded browser); fonts-dejavu-core: a font for the canvas text in those tests;
# the Jupyter pieces the kernel and notebook tests drive (Debian's, under /usr/bin/python3; the
# python3 first on PATH may be another interpreter without them).
APT_PACKAGES=(linux-perf valgrind binutils chromium fonts-dejavu-core
  jupyter-client python3-nbclient jupyter-nbconvert python3-jupyter-kernel-test python3-ipykernel
  python3-jupyter-server)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  echo "setup: Debian packages present: ${APT_PACKAGES[*]}"
fi

for tool in node npm cargo rustc perf valgrind chromium; do
  command -v "$tool" >/dev/null || { echo "setup: '$tool' not found on PATH; install it (Rust: https://rustup.rs or the Debian package cargo)." >&2; exit 1; }
done
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("setup: Node >= 20.19 is needed (require() of ES modules), found "+process.versions.node); process.exit(1) }'

npm ci --no-audit --no-fund
npm run build
# The kernelspec, so that Jupyter (and the notebook tests) can start the flamebook kernel.
# It runs the compiled kernel that `npm run build` just wrote (dist/kernel/main.js) with plain node.
node bin/flamebook.js kernel install --user
# `flamebook` on PATH, for any directory: a link to this checkout's bin/flamebook.js (what `npm link`
# does, without touching npm's global tree): /usr/local/bin as root, else ~/.local/bin.
if [ "$(id -u)" = 0 ]; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; fi
mkdir -p "$bindir"
ln -sfn "$PWD/bin/flamebook.js" "$bindir/flamebook"
if [ "$(command -v flamebook)" != "$bindir/flamebook" ]; then
  echo "setup: linked $bindir/flamebook, but that directory is not first on your PATH; add it: export PATH=\"$bindir:\$PATH\"" >&2
fi
echo "setup: done ($(perf --version), $(rustc --version), node $(node --version))"
