#!/usr/bin/env bash
# stop.sh WORKDIR — stop the broker started by start.sh (TERM, then KILL after
# $KAFKA_STOP_TIMEOUT seconds, default 30). Idempotent.
set -euo pipefail

work=${1:?usage: stop.sh WORKDIR}
pidf=$work/broker.pid
timeout=${KAFKA_STOP_TIMEOUT:-30}

[[ -f $pidf ]] || { echo "stop.sh: no $pidf; nothing to stop" >&2; exit 0; }
pid=$(cat "$pidf")
# Only signal the pid if it is still our broker (guards against pid reuse).
if ! grep -qa 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null; then
  echo "stop.sh: broker (pid $pid) not running" >&2; rm -f "$pidf"; exit 0
fi
echo "stop.sh: stopping broker (pid $pid)" >&2
kill -TERM "$pid" 2>/dev/null || true
for ((i = 0; i < timeout * 10; i++)); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$pidf"; echo "stop.sh: stopped" >&2; exit 0; }
  sleep 0.1
done
echo "stop.sh: still running after ${timeout} s; sending KILL" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pidf"
