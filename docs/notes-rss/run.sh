#!/usr/bin/env bash
# docs/notes-rss/run.sh LABEL [extra JVM flags...]: one measurement of docs/notes-rss.md.
#   bin/netns-run bash docs/notes-rss/run.sh base
#   NMT=off bin/netns-run bash docs/notes-rss/run.sh x -Xmn8m
# env: OPTS (JVM options file, default runtime/jvm.options), NMT (off|summary|detail, default summary),
#      GW_ENV ("NAME=value ..." for the gateway's environment), NSWEEPS (measured sweeps, default 8),
#      H2CACHE (KiB: a store config with ;CACHE_SIZE=), POST (shell run at the end with $gw and $out),
#      OUT (results folder, default /tmp/rss-out).
# Starts the gateway (healthInterval=5) and 1,000 simulated devices (mDNS + register), waits until all
# are listed, does 200 GET /file/device, lets 4-5 sweeps pass, then measures CPU and checks over
# NSWEEPS sweeps, then RSS, NMT, heap, pmap/smaps, threads, code cache, histogram, into $OUT/LABEL.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
label=$1; shift
out=${OUT:-/tmp/rss-out}/$label; rm -rf "$out"; mkdir -p "$out"
D=$(mktemp -d /tmp/rssgw.XXXXXX); mkdir -p $D/conf $D/data
echo healthInterval=5 > $D/conf/wasmiot.gateway.discovery.cfg
[ -n "${H2CACHE:-}" ] && echo "jdbcUrl=jdbc:h2:$D/data/devices;CACHE_SIZE=$H2CACHE" > $D/conf/wasmiot.gateway.store.cfg
opts=${OPTS:-$top/runtime/jvm.options}
NSWEEPS=${NSWEEPS:-8}
cd $D
t0=$(date +%s%N)
env ${GW_ENV:-} java $(sed -e 's/#.*//' $opts) -XX:NativeMemoryTracking=${NMT:-summary} -Dgosh.args=--nointeractive "$@" \
  -Dwasmiot.data.dir=$D/data -Dfelix.fileinstall.dir=$D/conf -Dfelix.cm.dir=$D/data/config \
  -jar $top/runtime/target/wasmiot-gateway.jar > $out/gateway.log 2>&1 &
gw=$!
while [ "$(curl -s -o /dev/null -w '%{http_code}' 127.0.0.1:3000/file/device)" != 200 ]; do sleep 0.02; done
t1=$(date +%s%N)
echo "startup_ms $(( (t1-t0)/1000000 ))" | tee $out/summary
sleep 8
grep -E 'VmRSS|RssAnon|RssFile|RssShmem|Threads' /proc/$gw/status | tr -s ' \t' ' ' | sed 's/^/idle /' | tee -a $out/summary
jcmd $gw VM.native_memory summary > $out/nmt-idle.txt 2>&1
java -jar $top/runtime/target/wasmiot-simulator.jar --devices 1000 --base-port 42000 --start-rate 200 \
  --orchestrator-url http://127.0.0.1:3000 > $out/sim.log 2>&1 < /dev/zero &
sim=$!
for i in $(seq 1 120); do
  n=$(curl -s 127.0.0.1:3000/file/device | grep -o '"status":"active"' | wc -l)
  [ "$n" -ge 1000 ] && break; sleep 1
done
echo "active $n after ${i}s" | tee -a $out/summary
for i in $(seq 1 200); do curl -s -o /dev/null 127.0.0.1:3000/file/device; done
metric() { curl -s 127.0.0.1:3000/metrics | awk -v m="$1" '$1==m {print $2}'; }
cpu() { awk '{print $14+$15}' /proc/$gw/stat; }   # ticks (comm has no spaces: java)
waitsweep() { local s=$(metric wasmiot_health_sweeps_total); while [ "$(metric wasmiot_health_sweeps_total)" = "$s" ]; do sleep 0.2; done; sleep 2.5; }
# warm-up: 20 s (4 sweeps), then align to half an interval after a sweep started
sleep 20; waitsweep
ao0=$(awk '/^Tcp:/ && $6 ~ /^[0-9]+$/ {print $6}' /proc/net/snmp); jstat -gc $gw > $out/jstat0.txt; c0=$(cpu); k0=$(metric wasmiot_health_checks_total); w0=$(date +%s%N)
sleep $((NSWEEPS*5))
c1=$(cpu); k1=$(metric wasmiot_health_checks_total); w1=$(date +%s%N); jstat -gc $gw > $out/jstat1.txt
ao1=$(awk '/^Tcp:/ && $6 ~ /^[0-9]+$/ {print $6}' /proc/net/snmp); echo "tcp_active_opens $((ao1-ao0))" | tee -a $out/summary
python3 "$top/docs/notes-rss/gcdelta.py" $out/jstat0.txt $out/jstat1.txt | tee -a $out/summary
for t in /proc/$gw/task/*; do awk '{s=$0; sub(/.*\) /,"",s); split(s,f," "); n=$0; sub(/^[^(]*\(/,"",n); sub(/\).*/,"",n); print f[12]+f[13], n}' $t/stat; done | sort -rn > $out/threadcpu.txt
hz=$(getconf CLK_TCK)
awk -v c0=$c0 -v c1=$c1 -v k0=$k0 -v k1=$k1 -v hz=$hz -v w=$(( (w1-w0)/1000000 )) 'BEGIN{printf "cpu_s %.2f checks %d cpu_per_1000 %.3f wall_ms %d\n", (c1-c0)/hz, k1-k0, (c1-c0)/hz/(k1-k0)*1000, w}' | tee -a $out/summary
grep -E 'VmRSS|RssAnon|RssFile|RssShmem|Threads' /proc/$gw/status | tr -s ' \t' ' ' | sed 's/^/load /' | tee -a $out/summary
ls /proc/$gw/fd | wc -l | sed 's/^/load fds /' | tee -a $out/summary
cp /proc/$gw/status $out/status-load
jcmd $gw VM.native_memory ${NMT:-summary} > $out/nmt-load.txt 2>&1
jcmd $gw GC.heap_info > $out/heap-load.txt
pmap -x $gw > $out/pmap-load.txt
cat /proc/$gw/smaps > $out/smaps-load.txt
jcmd $gw Thread.print > $out/threads-load.txt
jcmd $gw Compiler.codecache > $out/codecache.txt 2>&1
jcmd $gw VM.classloader_stats > $out/clstats.txt 2>&1
jcmd $gw GC.class_histogram > $out/histo.txt 2>&1
jcmd $gw GC.run > /dev/null; jcmd $gw GC.heap_info > $out/heap-aftergc.txt
grep -E 'VmRSS' /proc/$gw/status | tr -s ' \t' ' ' | sed 's/^/aftergc /' | tee -a $out/summary
[ -n "${POST:-}" ] && { export gw out; bash -c "$POST" 2>&1 | tee -a $out/post.txt; }
kill $sim; wait $sim 2>/dev/null
kill $gw; wait $gw 2>/dev/null
rm -rf $D
