#!/usr/bin/env bash
# make.sh — make the secrets deploy/compose.yaml mounts, once, beside this
# script: store-key (the store's AES-256 key, hex), replication-secret
# (read replicas' shared secret with the writer) and grafana-admin-password.
# An existing file is kept: a new store key would make the store unreadable.
#
# The files are 0644 so that the containers' non-root users can read them
# through compose's bind mount; this directory is 0700, so other users of
# the host cannot. Keep a copy of store-key with your backups' keys: a
# backup is useless without it.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
chmod 0700 "$dir"
umask 022

make() { # make NAME BYTES
  local f=$dir/$1
  if [[ -s $f ]]; then echo "make.sh: $f exists, kept" >&2; return; fi
  od -An -tx1 -N"$2" /dev/urandom | tr -d ' \n' >"$f"
  echo >>"$f"
  chmod 0644 "$f"
  echo "make.sh: wrote $f" >&2
}
make store-key 32
make replication-secret 32
make grafana-admin-password 16
