#!/usr/bin/env bash
# Starts the release build for the browser tests: fresh data directory, demo data, own port.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
export LEPTOS_OUTPUT_NAME=kabinet LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD
export KABINET_ADDR="127.0.0.1:${KABINET_E2E_PORT:-3100}" KABINET_DATA_DIR="$data" KABINET_DEMO=1
export RUST_LOG="${RUST_LOG:-warn}"
# Tests that need an address of their own (sign-up limits count per address) say so through
# X-Forwarded-For, believed from loopback only; the browser's own requests come without it.
export KABINET_TRUST_PROXY=1
exec "$target/release/server"
