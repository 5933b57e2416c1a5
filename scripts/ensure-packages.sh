#!/usr/bin/env bash
# Make sure the Debian packages the tests use are installed:
#   chromium  the browser tests (Playwright never downloads a browser here: the tests launch
#             /usr/bin/chromium via executable_path)
#   curl, jq  the commands of docs/api.md, which a test runs as written
set -euo pipefail

# package -> the file it provides
declare -A needs=([chromium]=/usr/bin/chromium [curl]=/usr/bin/curl [jq]=/usr/bin/jq)
missing=()
for package in "${!needs[@]}"; do
  [[ -x ${needs[$package]} ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

# apt-get needs root: use sudo only when we are not root and it exists.
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "ensure-packages: ${missing[*]} missing and we are neither root nor have sudo;" \
    "install with: apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "ensure-packages: installing ${missing[*]} with apt-get" >&2
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null

for package in "${missing[@]}"; do
  if [[ ! -x ${needs[$package]} ]]; then
    echo "ensure-packages: apt-get finished but ${needs[$package]} is still missing" >&2
    exit 1
  fi
done
