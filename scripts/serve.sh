#!/usr/bin/env bash
# Builds the app and serves it on http://127.0.0.1:8080/ (rebuilding on change). Ctrl-C stops it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh"
cd "$ROOT"
PORT="${PORT:-8080}"
echo
echo "Building, then serving. Open http://127.0.0.1:${PORT}/ in your browser."
echo
# No auto-reload: its injected script would need a CSP exception; reload the page after a change.
exec trunk serve --release --no-autoreload --address 127.0.0.1 --port "$PORT"
