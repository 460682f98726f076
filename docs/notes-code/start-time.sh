#!/bin/bash
# Seconds from launching the gateway jar (fresh folders) to /metrics answering with the sweep counter.
# Run inside the private namespace: bin/netns-run docs/notes-code/start-time.sh runtime/target/wasmiot-gateway.jar

JAR=$1; D=$(mktemp -d); PORT=$((20000 + RANDOM % 20000))
mkdir -p $D/conf
S=$(date +%s.%N)
java -Xmx256m -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 -Dorg.osgi.service.http.port=$PORT -Dwasmiot.data.dir=$D/data -Dfelix.fileinstall.dir=$D/conf -Dfelix.cm.dir=$D/data/config -Dlaunch.storage.dir=$D/data/framework -jar $JAR > $D/log 2>&1 &
P=$!
for i in $(seq 1 600); do
  if curl -s -m 1 http://127.0.0.1:$PORT/metrics 2>/dev/null | grep -q wasmiot_health_sweeps_total; then break; fi
  sleep 0.05
done
E=$(date +%s.%N)
echo "ready $(echo "$E - $S" | bc)"
kill $P; wait $P 2>/dev/null
grep -m1 "Discovery core started" $D/log | cut -c1-60
head -1 $D/log | cut -c1-40
rm -rf $D
