#!/usr/bin/env bash
# Refreshes axe-core (MPL-2.0), which the browser tests inject into each page
# to check it against WCAG 2.2 A and AA. Committed so that `go test` needs no
# npm; only this script does. Usage: web/testdata/axe/refresh.sh [VERSION]
set -euo pipefail
version="${1:-4.14.1}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "axe-core@$version" >/dev/null
tar xzf axe-core-*.tgz
cp package/axe.min.js package/LICENSE "$here/"
echo "$version" >"$here/VERSION"
echo "refreshed web/testdata/axe from axe-core $version"
