#!/usr/bin/env bash
# Install the pinned front-end packages (package-lock.json) and copy their
# built files into fdac/static/, which Flask serves at /assets.
#
# Layout produced (all git-ignored; never commit them):
#   fdac/static/govuk/govuk-frontend.min.{css,js}[.map]  GOV.UK Frontend (ES module JS)
#   fdac/static/fonts/ images/ manifest.json [rebrand/]  GOV.UK assets: the CSS asks for
#                                                        /assets/fonts/... and /assets/images/...
#   fdac/static/moj/moj-frontend.min.{css,js}[.map]      MoJ Frontend (ES module JS)
#   fdac/static/images/ (merged)                         MoJ images: its CSS asks for /assets/images/...
#   fdac/static/moj/assets/images/                       the same MoJ images, under MoJ's own dist path
#
# Idempotent and fast: skipped while the stamp is newer than package.json,
# package-lock.json and this script, and the copied files are still there.
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
cd "$root"

static=fdac/static
stamp=node_modules/.fdac-assets-stamp
govuk_dist=node_modules/govuk-frontend/dist/govuk
moj_dist=node_modules/@ministryofjustice/frontend/moj

# The files whose presence proves a previous copy is intact.
outputs=(
  "$static/govuk/govuk-frontend.min.css"
  "$static/govuk/govuk-frontend.min.js"
  "$static/moj/moj-frontend.min.css"
  "$static/moj/moj-frontend.min.js"
  "$static/manifest.json"
)

up_to_date() {
  [[ -f $stamp ]] || return 1
  local f
  for f in package.json package-lock.json "$self"; do
    [[ $stamp -nt $f ]] || return 1
  done
  for f in "${outputs[@]}"; do
    [[ -f $f ]] || return 1
  done
}

if up_to_date; then
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-assets: npm not found; install Node.js 20+ (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi

# npm ci is exact to package-lock.json; keep its chatter out of test logs
# unless it fails.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  cat "$log" >&2
  echo "install-assets: npm ci failed" >&2
  exit 1
fi

for f in "$govuk_dist/govuk-frontend.min.css" "$govuk_dist/govuk-frontend.min.js" \
  "$moj_dist/moj-frontend.min.css" "$moj_dist/moj-frontend.min.js"; do
  [[ -f $f ]] || { echo "install-assets: $f missing: has the package layout changed?" >&2; exit 1; }
done

mkdir -p "$static"

# Remove what a previous run copied (all of it is git-ignored), so files
# dropped by a package upgrade don't linger.
rm -rf "$static/govuk" "$static/moj" "$static/fonts" "$static/images" \
  "$static/rebrand" "$static/manifest.json"

# GOV.UK Frontend: CSS + JS (+ source maps, which the min files reference).
mkdir -p "$static/govuk"
cp "$govuk_dist"/govuk-frontend.min.{css,js} "$static/govuk/"
cp "$govuk_dist"/govuk-frontend.min.{css,js}.map "$static/govuk/" 2>/dev/null || true

# GOV.UK assets (fonts/, images/, manifest.json, rebrand/ if any) at the top
# of /assets, where the CSS's default $govuk-assets-path points.
cp -R "$govuk_dist/assets/." "$static/"

# MoJ Frontend: CSS + JS (+ maps).
mkdir -p "$static/moj"
cp "$moj_dist"/moj-frontend.min.{css,js} "$static/moj/"
cp "$moj_dist"/moj-frontend.min.{css,js}.map "$static/moj/" 2>/dev/null || true

# MoJ images: its CSS uses url(/assets/images/...), so merge them into
# images/ without overwriting GOV.UK's; also keep a copy at MoJ's own path.
if [[ -d $moj_dist/assets ]]; then
  mkdir -p "$static/images" "$static/moj/assets"
  cp -R "$moj_dist/assets/." "$static/moj/assets/"
  if [[ -d $moj_dist/assets/images ]]; then
    for img in "$moj_dist"/assets/images/*; do
      [[ -e $static/images/$(basename "$img") ]] || cp -R "$img" "$static/images/"
    done
  fi
fi

touch "$stamp"
echo "install-assets: copied GOV.UK Frontend $(node -p 'require("./node_modules/govuk-frontend/package.json").version' 2>/dev/null || echo '?') and MoJ Frontend $(node -p 'require("./node_modules/@ministryofjustice/frontend/package.json").version' 2>/dev/null || echo '?') into $static/"
