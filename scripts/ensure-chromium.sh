#!/usr/bin/env bash
# Makes sure the system tools the test suites need are present: Debian's Chromium (browser-mode
# tests, e2e, browser benchmark) and openssl (interop tests). Installs them with apt-get when we
# are root; otherwise stops at once and prints the exact command to run.
set -uo pipefail
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"

missing=()
[ -x "$CHROMIUM_PATH" ] || missing+=(chromium fonts-liberation)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "FATAL: missing ${missing[*]}. Run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing from Debian: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || { echo "FATAL: apt-get update failed; run it by hand and retry" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "FATAL: apt-get install ${missing[*]} failed; run: apt-get install -y --no-install-recommends ${missing[*]}" >&2; exit 1; }
fi

# The Debian wrapper prints harmless noise on stderr (toolchain.md, pitfall 15); keep stdout only.
if ! version=$("$CHROMIUM_PATH" --version 2>/dev/null); then
  echo "FATAL: $CHROMIUM_PATH does not run. Run: apt-get install -y --reinstall chromium (or set CHROMIUM_PATH)" >&2
  exit 1
fi
echo "Using $version at $CHROMIUM_PATH; $(openssl version)"
