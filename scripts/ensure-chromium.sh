#!/usr/bin/env bash
# Make sure Debian's Chromium is present for the browser tests (tests/e2e/).
# Playwright cannot download its own browser here, so the tests drive /usr/bin/chromium.
# As root we install it; otherwise we warn and the e2e tests skip with a reason
# (or fail, when CI is set, so CI can never skip them silently).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium: found $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    echo "chromium: $CHROMIUM missing, installing with apt-get"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
    echo "chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
else
    echo "WARNING: $CHROMIUM is missing and we are not root, so it cannot be installed." >&2
    echo "WARNING: install it with: sudo apt-get install -y chromium" >&2
    echo "WARNING: the browser tests (tests/e2e/) will be skipped (and fail when CI is set)." >&2
fi
