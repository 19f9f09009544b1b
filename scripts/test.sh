#!/usr/bin/env bash
# Runs every test: native Rust tests (model, validation, CLI), browser unit tests
# (wasm-bindgen-test in headless Chromium and headless Firefox), the release build, and end-to-end
# journeys against the release build served on 127.0.0.1 under the GitHub Pages sub-path: the full
# set in Chromium (Playwright), and the cross-browser set in Firefox and WebKitGTK (WebDriver).
# Ends with a pass/fail line per layer; exits non-zero if any layer failed.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/setup.sh" || { echo "test: setup failed"; exit 1; }
cd "$ROOT"

names=(); results=(); seconds=()
layer() { # name, command...
  local name=$1 start=$SECONDS; shift
  printf '\n\033[1m== %s ==\033[0m\n' "$name"
  if "$@"; then results+=(pass); else results+=(FAIL); fi
  names+=("$name"); seconds+=($((SECONDS - start)))
}

layer "native tests" cargo test --locked --workspace
layer "browser unit (Chromium)" cargo test --locked --target wasm32-unknown-unknown --test web
# The runner takes geckodriver over chromedriver when GECKODRIVER is set.
layer "browser unit (Firefox)" env GECKODRIVER="$(command -v geckodriver)" cargo test --locked --target wasm32-unknown-unknown --test web
layer "release build" trunk build --release --locked --public-url "$PUBLIC_URL"
journeys=("journeys (Chromium)" "journeys (Firefox)" "journeys (WebKit)")
if [ "${results[-1]}" = pass ]; then
  layer "${journeys[0]}" bash -c 'cd tests/e2e && node --test --test-concurrency=1 --test-reporter=spec ./*.test.mjs'
  layer "${journeys[1]}" bash -c 'cd tests/e2e && BROWSER=firefox node --test --test-reporter=spec browsers/*.test.mjs'
  # MiniBrowser needs a display: a virtual one.
  layer "${journeys[2]}" bash -c 'cd tests/e2e && BROWSER=webkit xvfb-run -a node --test --test-reporter=spec browsers/*.test.mjs'
else
  for j in "${journeys[@]}"; do names+=("$j"); results+=(FAIL); seconds+=(0); done
  echo "journeys skipped: the release build failed"
fi

passed=0; failed=0
printf '\n\033[1m== summary ==\033[0m\n'
for i in "${!names[@]}"; do
  printf '  %-26s %-5s %5ss\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
  if [ "${results[$i]}" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "layers: $passed passed, $failed failed, in ${SECONDS}s"
[ "$failed" -eq 0 ]
