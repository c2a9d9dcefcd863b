#!/usr/bin/env bash
# fetch.sh DIR — put every jar the Kafka broker and its CLI tools need into DIR
# (from Maven Central, via mvn). Idempotent: does nothing if DIR already has jars.
set -euo pipefail

dir=${1:?usage: fetch.sh DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if compgen -G "$dir/*.jar" >/dev/null; then
  echo "fetch.sh: $dir already has $(find "$dir" -maxdepth 1 -name '*.jar' | wc -l) jars; nothing to do" >&2
  exit 0
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "fetch.sh: mvn dependency:copy-dependencies ($here/pom.xml) -> $dir" >&2
# Copy into a temp dir first so an interrupted fetch never looks complete.
mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$tmp" >"$tmp/mvn.log" 2>&1 \
  || { cat "$tmp/mvn.log" >&2; echo "fetch.sh: mvn failed" >&2; exit 1; }
mv "$tmp"/*.jar "$dir"/
echo "fetch.sh: $(find "$dir" -maxdepth 1 -name '*.jar' | wc -l) jars, $(du -sh "$dir" | cut -f1) in $dir" >&2
