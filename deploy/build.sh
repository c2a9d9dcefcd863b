#!/usr/bin/env bash
# build.sh OUT — the one way the release binary is built: static (no cgo),
# reproducible paths (-trimpath), stripped, with the version stamped in.
# deploy/Dockerfile runs this script and CI (.ci/deploy-check) runs it too,
# so the image's binary and the one CI checks cannot drift apart.
#
# VERSION (env) is stamped into resindex.Version (version.go; `resindex
# version` prints it); without it: `git describe`, else "dev". The Docker
# build has no .git (see .dockerignore), so it passes VERSION as a build
# argument. VERSION_VAR overrides the variable's full name.
set -euo pipefail

out=${1:?usage: deploy/build.sh OUT}
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z ${VERSION:-} ]]; then
  VERSION=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
fi
version_var=${VERSION_VAR:-github.com/resindex/resindex.Version}

# CGO_ENABLED=0: the distroless/static image has no libc, so the binary
# must need none; -buildvcs=false: the Docker context has no .git to read.
CGO_ENABLED=0 go build -trimpath -buildvcs=false \
  -ldflags "-s -w -X ${version_var}=${VERSION}" \
  -o "$out" ./cmd/resindex
echo "build.sh: built $out (version $VERSION)" >&2
