#!/usr/bin/env bash
# kafka-tool.sh JARDIR CLASS [ARGS...] — run a Kafka CLI class (what bin/*.sh run)
# on the fetched classpath with the quiet log4j2 config, e.g.
#   kafka-tool.sh /tmp/kafka-jars org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:9092 --list
set -euo pipefail

jars=${1:?usage: kafka-tool.sh JARDIR CLASS [ARGS...]}
cls=${2:?usage: kafka-tool.sh JARDIR CLASS [ARGS...]}
shift 2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
exec java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
  "-Dlog4j2.configurationFile=$here/log4j2.properties" -cp "$jars/*" "$cls" "$@"
