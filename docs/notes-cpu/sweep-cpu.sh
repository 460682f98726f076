#!/bin/bash
# docs/notes-cpu/sweep-cpu.sh: the gateway's CPU per 1,000 health checks, at steady state.
# Run it inside the namespace:  bin/netns-run docs/notes-cpu/sweep-cpu.sh
# Starts runtime/target/wasmiot-gateway.jar with runtime/jvm.options (healthInterval INTERVAL,
# default 1 s) and 1,000 simulated devices, waits until they are listed, WARM more seconds, then
# counts the gateway's CPU (/proc) and its wasmiot_health_checks_total over SECS (default 30) s,
# and prints the threads that used CPU meanwhile. Environment: EXTRA (more JVM options, they win),
# JARS (folder of the two jars, default runtime/target), JFR=1 (record jdk.ExecutionSample every
# 2 ms and jdk.ThreadStart into $D/p.jfr), D (work folder, default /tmp/wasmiot-sweep-cpu).
set -e
cd "$(dirname "$0")/../.."
JARS=${JARS:-runtime/target}
D=${D:-/tmp/wasmiot-sweep-cpu}; rm -rf $D; mkdir -p $D/conf
echo "healthInterval=${INTERVAL:-1}" > $D/conf/wasmiot.gateway.discovery.cfg
java $(sed -e 's/#.*//' runtime/jvm.options) $EXTRA -Dgosh.args=--nointeractive -Dwasmiot.data.dir=$D/data -Dfelix.fileinstall.dir=$D/conf -Dfelix.cm.dir=$D/data/config -jar $JARS/wasmiot-gateway.jar > $D/gateway.log 2>&1 &
GW=$!
trap 'kill $SIM $GW 2>/dev/null; wait 2>/dev/null' EXIT # also when a step fails
sleep 4
java -jar $JARS/wasmiot-simulator.jar --devices 1000 --base-port 13000 --name-prefix p- --start-rate 200 > $D/sim.out 2> $D/sim.err < /dev/zero &
SIM=$!
hz=$(getconf CLK_TCK) # /proc's CPU times are in clock ticks
for i in $(seq 1 90); do n=$(curl -s 127.0.0.1:3000/file/device | grep -o '"_id"' | wc -l); [ "$n" -ge 1000 ] && break; sleep 1; done
echo "listed: $(curl -s 127.0.0.1:3000/file/device | grep -o '"_id' | wc -l) devices after $i s"
sleep 20
cat > $D/prof.jfc <<'JFC'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ExecutionSample"><setting name="enabled">true</setting><setting name="period">2 ms</setting></event>
  <event name="jdk.GarbageCollection"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.ThreadStart"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
  <event name="jdk.ThreadCPULoad"><setting name="enabled">true</setting><setting name="period">1 s</setting></event>
  <event name="jdk.ObjectAllocationSample"><setting name="enabled">true</setting><setting name="throttle">500/s</setting></event>
</configuration>
JFC
checks() { curl -s 127.0.0.1:3000/metrics | awk '/^wasmiot_health_checks_total/ {print $2}'; }
sleep ${WARM:-40}
threads() { for t in /proc/$GW/task/*; do echo "$(cat $t/comm | tr ' ' '_') $(awk '{print $14+$15}' $t/stat)"; done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
threads > $D/t0
k0=$(checks); c0=$(awk '{print $14+$15}' /proc/$GW/stat)
if [ -n "$JFR" ]; then jcmd $GW JFR.start name=p settings=$D/prof.jfc filename=$D/p.jfr duration=${SECS:-30}s > /dev/null; fi
sleep ${SECS:-30}
k1=$(checks); c1=$(awk '{print $14+$15}' /proc/$GW/stat)
threads > $D/t1
join -a2 -e0 -o 0,1.2,2.2 $D/t0 $D/t1 | awk -v hz=$hz '{d=$3-$2; if (d>2) printf "%s %.2fs  ", $1, d/hz} END {print ""}' 
python3 -c "print('checks %d, gateway CPU %.2f s, %.3f s per 1000 checks' % ($k1-$k0, ($c1-$c0)/$hz, ($c1-$c0)/$hz/($k1-$k0)*1000))"
