# Sourced by the other scripts: tool locations. wasm-opt 132 from npm must come before Debian's.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The GitHub Pages sub-path the release is built for (and the e2e suite serves it under).
export PUBLIC_URL="${PUBLIC_URL:-/mp162-explorer/}"
