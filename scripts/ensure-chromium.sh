#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests.
# Playwright must never download its own browser (no network for that here):
# the tests launch /usr/bin/chromium via executable_path.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi

# apt-get needs root: use sudo only when we are not root and it exists.
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "ensure-chromium: /usr/bin/chromium is missing and we are neither root nor have sudo;" \
    "install it with: apt-get install chromium" >&2
  exit 1
fi

echo "ensure-chromium: installing Debian's chromium with apt-get" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

if [[ ! -x /usr/bin/chromium ]]; then
  echo "ensure-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
