#!/usr/bin/env bash
# start.sh JARDIR WORKDIR [PORT] — start a single-node Kafka broker (KRaft,
# broker+controller, node 1) on 127.0.0.1:PORT (default 9092) in the background,
# with its data, config, log (broker.log) and pid (broker.pid) in WORKDIR.
# The controller listens on 127.0.0.1:$CONTROLLER_PORT (default PORT+1).
# Waits up to $KAFKA_START_TIMEOUT seconds (default 90) until it serves metadata.
# JARDIR comes from fetch.sh. Env: KAFKA_HEAP (default -Xmx512m),
# KAFKA_NUM_PARTITIONS (partitions of auto-created topics, default 1).
set -euo pipefail

jars=${1:?usage: start.sh JARDIR WORKDIR [PORT]}
work=${2:?usage: start.sh JARDIR WORKDIR [PORT]}
port=${3:-9092}
cport=${CONTROLLER_PORT:-$((port + 1))}
timeout=${KAFKA_START_TIMEOUT:-90}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

compgen -G "$jars/*.jar" >/dev/null || { echo "start.sh: no jars in $jars (run fetch.sh $jars)" >&2; exit 1; }
mkdir -p "$work"
jars=$(cd "$jars" && pwd)
work=$(cd "$work" && pwd)
log=$work/broker.log pidf=$work/broker.pid props=$work/server.properties

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ready() {
  if command -v kcat >/dev/null; then
    kcat -b "127.0.0.1:$port" -L -m 2 2>/dev/null | grep -q '^ *1 brokers:'
  else
    listening "$port" && grep -q 'Kafka Server started' "$log"
  fi
}

if [[ -f $pidf ]] && kill -0 "$(cat "$pidf")" 2>/dev/null; then
  echo "start.sh: broker already running (pid $(cat "$pidf"))" >&2
  exit 0
fi
for p in "$port" "$cport"; do
  if listening "$p"; then echo "start.sh: 127.0.0.1:$p is already in use" >&2; exit 1; fi
done

cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$work/data
num.partitions=${KAFKA_NUM_PARTITIONS:-1}
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS

read -ra heap <<<"${KAFKA_HEAP:--Xmx512m}"
java_opts=("${heap[@]}" -XX:+UseG1GC -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$here/log4j2.properties" -cp "$jars/*")

# Format once; a restart on the same WORKDIR keeps its data. (--cluster-id=ID,
# not -t ID: a random id may start with "-".)
if [[ ! -f $work/data/meta.properties ]]; then
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  echo "start.sh: formatting $work/data (cluster id $cluster_id)" >&2
  java "${java_opts[@]}" kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$props" \
    >"$work/format.log" 2>&1 || { cat "$work/format.log" >&2; exit 1; }
fi

echo "start.sh: starting broker on 127.0.0.1:$port (controller :$cport), log $log" >&2
t0=$SECONDS
nohup java "${java_opts[@]}" kafka.Kafka "$props" >"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidf"

deadline=$((SECONDS + timeout))
while ((SECONDS < deadline)); do
  if ready; then echo "start.sh: broker up (pid $pid) in ~$((SECONDS - t0)) s" >&2; exit 0; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "start.sh: broker exited; last lines of $log:" >&2; tail -n 40 "$log" >&2; rm -f "$pidf"; exit 1
  fi
  sleep 0.5
done
echo "start.sh: broker not ready after ${timeout} s; last lines of $log:" >&2
tail -n 40 "$log" >&2
exit 1
