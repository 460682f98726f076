#!/bin/bash
# Cold rounds: a fresh JVM (the gateway's flags) per round, no warm-up, 1,000 GETs (a 500-device
# burst's two GETs per device) at 64 in flight, connections kept (--close false).
# From this directory, after README steps 1-2, inside bin/netns-run:  REPS=5 OUT=results-cold.tsv ./cold.sh
set -uo pipefail
cd "$(dirname "$0")"
rm -f sim.fifo && mkfifo sim.fifo
java -Xmx512m -jar ../../../runtime/target/wasmiot-simulator.jar --devices 1100 --no-mdns --mdns-address 127.0.0.1 \
    --start-rate 100000 --base-port 40000 < sim.fifo > sim.out 2> sim.err &
SIM=$!
sleep 100000 > sim.fifo & HOLD=$!
for _ in $(seq 60); do [ "$(grep -c '^UP' sim.out)" -ge 1000 ] && break; sleep 1; done
grep '^UP' sim.out | awk '{print $3}' | sed 's/.*://' | sort -n | uniq > ports.txt
GW=$(grep -v '^\s*#' ../../../runtime/jvm.options | grep -v '^\s*$' | tr '\n' ' ')
for rep in $(seq 1 "${REPS:-5}"); do
  for client in ${CLIENTS:-jdk urlconn apache-async}; do
    # shellcheck disable=SC2086 # one flag per word, by design
    java $GW -cp "classes:lib/*:../../../bundles/probe/target/wasmiot.gateway.probe-0.1.0-SNAPSHOT.jar" \
      io.wasmiot.gateway.probe.internal.HttpFloor --client "$client" --ports ports.txt \
      --warmup 0 --rounds 1 --n 1000 --concurrency 64 --close false --label cold --out "${OUT:-results-cold.tsv}" \
      2> >(grep -v SLF4J >&2)
  done
done
kill $SIM $HOLD
