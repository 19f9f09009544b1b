#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there:
# Chromium + ChromeDriver, Firefox ESR, WebKitGTK's WebDriver and Xvfb (Debian), geckodriver 0.37.1
# (crates.io), Node.js, the wasm32 target, Trunk 0.21.14, the wasm-bindgen-cli
# whose version equals Cargo.lock's, wasm-opt 132 (npm binaryen) and the e2e npm packages.
# Everything comes from the package registries; nothing is downloaded at build time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
command -v chromedriver >/dev/null || apt_missing+=(chromium-driver)
command -v node >/dev/null || apt_missing+=(nodejs)
command -v npm >/dev/null || apt_missing+=(npm)
command -v python3 >/dev/null || apt_missing+=(python3)
command -v firefox-esr >/dev/null || apt_missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || apt_missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || apt_missing+=(xvfb xauth)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "installing ${apt_missing[*]} (apt)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q '0\.21\.14'; then
  say "installing trunk 0.21.14 (about 12 minutes on 2 cores)"
  cargo install trunk --version =0.21.14 --locked
fi

# (Read whole, not with grep -q: geckodriver panics when its output is cut off.)
if [[ "$(geckodriver --version 2>/dev/null)" != "geckodriver 0.37.1"* ]]; then
  say "installing geckodriver 0.37.1 (Firefox's WebDriver server, about 2 minutes)"
  cargo install geckodriver --version =0.37.1 --locked
fi

want_bindgen=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$want_bindgen"; then
  say "installing wasm-bindgen-cli $want_bindgen (the version in Cargo.lock)"
  # Not --locked: its lockfile pins a webpki-roots the registry mirror lacks.
  cargo install wasm-bindgen-cli --version "=$want_bindgen"
fi

npm_install() { # folder
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    say "npm ci in $1"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_install tools
npm_install tests/e2e

wasm-opt --version | grep -q 'version 132' || { echo "setup: wasm-opt on PATH is not version 132" >&2; exit 1; }
say "ready (trunk $(trunk --version | cut -d' ' -f2), wasm-bindgen $want_bindgen, $(wasm-opt --version | cut -d' ' -f1-3), $(chromium --version 2>/dev/null | head -c 40), $(firefox-esr --version 2>/dev/null), $(geckodriver --version 2>/dev/null | sed -n 1p), WebKitGTK $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null))"
