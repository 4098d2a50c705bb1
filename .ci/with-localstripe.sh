#!/usr/bin/env bash
# Runs a command beside localstripe (PyPI: a stateful Stripe stand-in, with
# Stripe.js's stand-in at /js.stripe.com/v3/) on a loopback port; it is
# stopped when the command ends, pass or fail. The command finds it in
# KASSA_TEST_STRIPE. Usage: .ci/with-localstripe.sh cargo test ...
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${KASSA_STRIPE_PORT:-8420}
BIN=.tools/venv/bin/localstripe
if [ ! -x "$BIN" ]; then
  echo "localstripe is not installed (.ci/tools.sh --tests installs it)" >&2
  exit 1
fi
LOG=$(mktemp /tmp/kassa-localstripe.XXXXXX.log)
# --from-scratch: localstripe otherwise reloads the store it pickles to
# /tmp/localstripe.pickle, which a run killed mid-write leaves truncated.
"$BIN" --port "$PORT" --from-scratch >"$LOG" 2>&1 &
PID=$!
stop() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:$PORT/js.stripe.com/v3/" >/dev/null; then break; fi
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 1; }
  sleep 0.1
done
echo "localstripe on 127.0.0.1:$PORT (log: $LOG)"
export KASSA_TEST_STRIPE="http://127.0.0.1:$PORT"
"$@"
