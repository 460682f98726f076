#!/bin/bash
# Heap held by 1,000 idle kept-alive device connections: the JDK HttpClient (the prober's client,
# with runtime/jvm.options' jdk.httpclient.bufsize=2048) against HttpURLConnection (its keep-alive
# cache set to 30 s, as the prober's is). From the repository root: bin/netns-run docs/notes-cpu/httpfloor/kept-memory/run.sh
set -uo pipefail
root=$(pwd); here=$(mktemp -d); cd "$here"
javac -d . "$root/docs/notes-cpu/httpfloor/kept-memory/KeptMemory.java"
rm -f sim.fifo && mkfifo sim.fifo
java -Xmx512m -jar "$root/runtime/target/wasmiot-simulator.jar" --devices 1100 --no-mdns --mdns-address 127.0.0.1 \
    --start-rate 100000 --base-port 40000 < sim.fifo > sim.out 2> sim.err &
SIM=$!; sleep 100000 > sim.fifo & HOLD=$!
for _ in $(seq 60); do [ "$(grep -c '^UP' sim.out)" -ge 1000 ] && break; sleep 1; done
grep '^UP' sim.out | awk '{print $3}' | sed 's/.*://' | sort -n | uniq > ports.txt
GW=$(grep -v '^\s*#' "$root/runtime/jvm.options" | grep -v '^\s*$' | tr '\n' ' ')
for client in jdk urlconn jdk urlconn; do
  # shellcheck disable=SC2086 # one flag per word, by design
  java $GW -Dhttp.keepAlive.time.server=30 -cp . KeptMemory "$client" 1001 ports.txt
done
kill $SIM $HOLD
