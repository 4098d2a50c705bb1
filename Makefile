# Kassa: `make run` starts the service with demo data; `make test` runs every test.
# Both install what is missing first (see .ci/tools.sh).

SHELL := /bin/bash
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
DATA_DIR ?= data

.PHONY: run test tools test-rust test-browser test-php test-run test-api site sizes bench bench-dashboard lighthouse

## Build (release) and start Kassa on SQLite at http://127.0.0.1:3000.
run:
	.ci/tools.sh
	cargo leptos build --release --precompress
	KASSA_DATA_DIR=$(DATA_DIR) LEPTOS_SITE_ROOT=target/site ./target/release/kassa

## Unit, integration and browser tests.
test:
	.ci/tools.sh --tests
	$(MAKE) site test-php test-rust test-api test-browser test-run sizes

# Every test on SQLite, then the server's tests again on a throw-away
# PostgreSQL; localstripe (Stripe's stand-in) beside both for live mode.
test-rust: site
	.ci/with-localstripe.sh cargo test --workspace
	.ci/with-postgres.sh .ci/with-localstripe.sh cargo test -p server --tests

# The WooCommerce plugin parses on the PHP installed; server/tests/woocommerce.rs drives it.
test-php:
	@find integrations/woocommerce -name '*.php' -print0 | xargs -0 -n1 php -l
	php integrations/woocommerce/tests/unit.php

# The browser tests run the debug server (shared with cargo test) and the
# release WebAssembly that customers get.
site:
	cargo leptos build --release --precompress --frontend-only
	cargo build -p server --bin kassa

test-browser: site
	.ci/with-localstripe.sh bash -c 'cd end2end && npx playwright test'

# The API fuzzed from its own OpenAPI document: schemathesis, every check,
# 100 examples an operation; any failure fails the run.
test-api: site
	tools/schemathesis/run.py

# Every way Kassa is started (end2end/starts.json), `make run` itself among
# them, started and checked alike: `/`, the demo paid in Chromium, the dashboard.
test-run: site
	cargo leptos build --release --precompress
	cd end2end && npx playwright test -c launches.config.ts

## What a first visit to the hosted page loads, as served (brotli).
sizes:
	@for f in target/site/pkg/kassa.wasm target/site/pkg/kassa.js target/site/pkg/kassa.css target/site/widget.js target/site/embed.js; do \
	  printf '%-28s %8s bytes raw %8s bytes brotli\n' $$f $$(stat -c%s $$f) $$(stat -c%s $$f.br); \
	done

## The benchmark: release build, wrk on loopback; prints a table, writes target/bench.json.
bench:
	.ci/tools.sh --bench
	cargo leptos build --release --precompress
	cargo build --release -p server --bin bench-dashboard
	.ci/with-postgres.sh python3 tools/bench.py

## Lighthouse (phone and desktop) on the hosted checkout page; fails under 95.
lighthouse:
	.ci/tools.sh --lighthouse
	$(MAKE) site
	node tools/lighthouse/run.mjs

## Dashboard queries with 1,000,000 sessions seeded (p50/p99); not a test.
bench-dashboard:
	.ci/tools.sh
	cargo run --release -p server --bin bench-dashboard
