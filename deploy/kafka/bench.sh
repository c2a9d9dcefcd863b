#!/usr/bin/env bash
# bench.sh — end-to-end figures through a real Kafka broker (docs/BENCHMARKS.md):
#   1. throughput: 80% of a borough's change events are produced at once
#      with kcat, then `resindex serve` consumes the backlog (events/s);
#   2. latency: serve keeps running while the other 20% are produced at a
#      steady RATE events/s (pv, line mode); serve's summary
#      gives event-to-change latency p50/p99 (from each message's Kafka
#      timestamp to its change committed in the store);
#   3. safeguarding alerts: each alert on resindex.alerts, from its raising
#      (committed with the change that raised it) to its message on the
#      topic; and the alerts of the whole run scored against the truth.
# Usage: deploy/kafka/bench.sh [PERSONS] [RATE] [SEED]   (defaults 20000, 500, 1)
# Needs Java 17, Maven, kcat and pv (apt-get install kcat pv).
# Env: KAFKA_JARS (/tmp/kafka-jars), KAFKA_PORT (29092), WORK (a temp dir).
set -euo pipefail
cd "$(dirname "$0")/../.."
persons=${1:-20000}
rate=${2:-500}
seed=${3:-1}
jars=${KAFKA_JARS:-/tmp/kafka-jars}
port=${KAFKA_PORT:-29092}
work=${WORK:-$(mktemp -d /tmp/resindex-kafka-bench.XXXXXX)}
broker=127.0.0.1:$port
bin=$work/resindex
trap 'deploy/kafka/stop.sh "$work/kafka" >/dev/null 2>&1 || true' EXIT

deploy/kafka/fetch.sh "$jars"
KAFKA_NUM_PARTITIONS=3 deploy/kafka/start.sh "$jars" "$work/kafka" "$port"
go build -o "$bin" ./cmd/resindex
"$bin" gen --persons "$persons" --seed "$seed" --out "$work/b" --quiet
live=$(($(wc -l <"$work/b/truth/records.csv") - 1))
mkdir -p "$work/tail"
for f in "$work/b/events/"*.kcat; do
  s=$(basename "$f" .kcat)
  n=$(wc -l <"$f")
  head -n $((n * 8 / 10)) "$f" | kcat -b "$broker" -P -K $'\t' -Z -t "$s"
  tail -n +$((n * 8 / 10 + 1)) "$f" | sed "s/^/$s\t/" >>"$work/tail/all"
done
echo "backlog: $(cat "$work/b/events/"*.kcat | wc -l) events in all, $(wc -l <"$work/tail/all") kept for the steady part"

serve=("$bin" serve --data "$work/store" --brokers "$broker" --topics all --population "$live" --status-every 5s)
"${serve[@]}" --stop-when-idle 5s 2>"$work/backlog.log"
grep -E "stopped:" "$work/backlog.log"

"${serve[@]}" 2>"$work/steady.log" &
pid=$!
sleep 8 # joined the group
# One producer per source, each fed at its share of RATE lines a second
# by pv (line mode), so events arrive spread out as a council's would.
total=$(wc -l <"$work/tail/all")
pids=()
for s in $(cut -f1 "$work/tail/all" | sort -u); do
  n=$(awk -F'\t' -v s="$s" '$1 == s' "$work/tail/all" | wc -l)
  share=$(( (rate * n + total - 1) / total ))
  awk -F'\t' -v s="$s" '$1 == s { sub(/^[^\t]*\t/, ""); print }' "$work/tail/all" |
    pv -q -l -L "$share" | kcat -b "$broker" -P -K $'\t' -Z -t "$s" &
  pids+=($!)
done
t0=$(date +%s)
wait "${pids[@]}"
echo "produced $total events in $(($(date +%s) - t0)) s"
sleep 5
kill -TERM "$pid"
wait "$pid"
echo "steady part at $rate events/s:"
grep -E "stopped:" "$work/steady.log"

# Alerts: the topic's message time less the alert's raised_at, for those
# raised in the steady part (after it started), and every alert scored.
kcat -b "$broker" -C -t resindex.alerts -e -q -f '%T\t%s\n' >"$work/alerts.tsv"
steady_ms=$((t0 * 1000))
while IFS=$'\t' read -r ts body; do
  raised=$(printf '%s' "$body" | grep -o '"raised_at":"[^"]*"' | head -1 | cut -d'"' -f4)
  ms=$(date -d "$raised" +%s%3N)
  [ "$ms" -ge "$steady_ms" ] && echo $((ts - ms))
done <"$work/alerts.tsv" | sort -n >"$work/alert-latency"
n=$(wc -l <"$work/alert-latency")
if [ "$n" -gt 0 ]; then
  p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/alert-latency")
  p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/alert-latency")
  echo "alerts raised in the steady part: $n; raised to on the topic: p50 ${p50} ms, p99 ${p99} ms, max $(tail -1 "$work/alert-latency") ms"
else
  echo "alerts raised in the steady part: 0"
fi
echo "alerts on the topic in all: $(wc -l <"$work/alerts.tsv")"
"$bin" eval --alerts --truth "$work/b/truth" --data "$work/store" | head -12
