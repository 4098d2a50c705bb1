#!/usr/bin/env bash
# Installs what building, running and testing Kassa need, skipping whatever
# is already there. Usage: .ci/tools.sh [--tests|--bench|--lighthouse]
# (--tests: what the tests need too: Chromium, PHP for the WooCommerce
# plugin, PostgreSQL; --bench: wrk and PostgreSQL for the benchmark;
# --lighthouse: Chromium and npm's Lighthouse)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

have cargo || { echo "Rust (rustup) is required: https://rustup.rs" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes, once)"
  cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

# cargo-leptos needs the CLI of exactly the wasm-bindgen version in Cargo.lock.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! have npm; then
  say "installing Node.js and npm"
  apt_install nodejs npm
fi

# npm's binaryen (wasm-opt) and Playwright; Debian's binaryen 108 breaks the WASM.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages (wasm-opt, Playwright)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--lighthouse" ] && { [ ! -d tools/lighthouse/node_modules/lighthouse ] || [ tools/lighthouse/package-lock.json -nt tools/lighthouse/node_modules/.package-lock.json ]; }; then
  say "installing npm's Lighthouse"
  (cd tools/lighthouse && npm ci --no-audit --no-fund)
fi

if { [ "${1:-}" = "--tests" ] || [ "${1:-}" = "--lighthouse" ]; } && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's Chromium for the browser tests"
  apt_install chromium
fi

if [ "${1:-}" = "--tests" ] && ! have php; then
  say "installing PHP for the WooCommerce plugin's tests"
  apt_install php-cli
fi

if [ "${1:-}" = "--bench" ] && ! have wrk; then
  say "installing wrk for the benchmark"
  apt_install wrk
fi

# The tests and the benchmark start their own throw-away cluster (.ci/with-postgres.sh).
if { [ "${1:-}" = "--tests" ] || [ "${1:-}" = "--bench" ]; } && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL"
  apt_install postgresql
fi

# Schemathesis (PyPI), pinned, in a virtualenv of its own: the API fuzz test.
SCHEMATHESIS_VERSION=4.32.5
if [ "${1:-}" = "--tests" ] && [ "$(.tools/venv/bin/schemathesis --version 2>/dev/null | awk '{print $NF}')" != "$SCHEMATHESIS_VERSION" ]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION"
  have python3 || apt_install python3
  python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

# localstripe (PyPI), pinned, beside schemathesis: Stripe's stand-in for the
# live-mode tests (.ci/with-localstripe.sh starts it).
LOCALSTRIPE_VERSION=1.15.10
if [ "${1:-}" = "--tests" ] && [ "$(.tools/venv/bin/pip show localstripe 2>/dev/null | awk '/^Version:/ {print $2}')" != "$LOCALSTRIPE_VERSION" ]; then
  say "installing localstripe $LOCALSTRIPE_VERSION"
  [ -x .tools/venv/bin/pip ] || python3 -m venv .tools/venv
  .tools/venv/bin/pip install -q "localstripe==$LOCALSTRIPE_VERSION"
fi
