#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the HTML report's browser test
# (test/e2e/html-report.browser.test.ts). Idempotent: returns at once when it is there.
# Needs root (or sudo) for apt-get; CHROMIUM=/path/to/chromium makes the test use another build.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [[ -x "${CHROMIUM}" ]]; then
  exit 0
fi

SUDO=""
if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "chromium.sh: ${CHROMIUM} is missing and installing it needs root (no sudo found)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
${SUDO} apt-get update
${SUDO} apt-get install -y chromium
"${CHROMIUM}" --version
echo "chromium.sh: ${CHROMIUM} ready"
