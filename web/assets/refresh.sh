#!/usr/bin/env bash
# Refreshes the staff UI's built front-end assets from npm: GOV.UK Frontend's
# JavaScript, and app.css compiled from app.scss against its Sass. The built
# files are committed, so building or testing resindex needs no npm; only
# this script does (Node.js 20 or later). Usage: web/assets/refresh.sh [VERSION]
set -euo pipefail
version="${1:-6.6.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "govuk-frontend@$version" sass@1.108.2
cp "$here/app.scss" .
npx sass --pkg-importer=node --style=compressed --no-source-map app.scss "$here/app.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$here/"
echo "$version" >"$here/GOVUK_FRONTEND_VERSION"
echo "refreshed web/assets from govuk-frontend $version"
