#!/usr/bin/env bash
# docs/notes-burst/burst.sh [RUNS] [GATEWAY_JAVA_OPTS]: the 100-device python-zeroconf burst alone,
# RUNS times (default 3), each on a fresh gateway; prints the harness's p50 beside the floor and, with
# DEBUG on for probe and core, where the devices spent their time in the gateway (timeline.py).
# DEBUG logging costs the gateway CPU: the p50 of these runs is above the plain runs'. Plain p50s:
#   RUNS=5 docs/notes-burst/burst.sh 5 -Dplain=1
# With CPU=1 it also samples the CPU of the gateway, the fleet, the simulator and the harness (cpu.py)
# and prints it per 100 ms from 0.5 s before the first device is found to the last one stored.
# Needs what bin/benchmark needs (it runs it); about 25 s a run.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
opts=${2:--Dorg.slf4j.simpleLogger.log.io.wasmiot.gateway.probe=debug -Dorg.slf4j.simpleLogger.log.io.wasmiot.gateway.core=debug}
out=$(mktemp -d /tmp/wasmiot-burst.XXXXXX)
for run in $(seq 1 "$runs"); do
  if [ "${CPU:-0}" = 1 ]; then python3 docs/notes-burst/cpu.py sample 40 "$out/cpu.txt" & sampler=$!; fi
  bin/benchmark --sizes 1 --single-repeats 1 --zeroconf-sizes 100 --big-size 0 --silent-fraction 0 \
    --rest-seconds 0 --startup-devices 0 --swap-repeats 0 --profile-seconds 0 --load-size 0 \
    --out "$out" --gateway-java-opts "$opts" > "$out/run.log" 2>&1
  echo "run $run: $(grep -o 'found 100 of 100; p50 [0-9.]* s' "$out/run.log" || echo 'no result')," \
    "floor $(grep -o 'jmdns browser saw 100, p50 [0-9.]* s' "$out/run.log" || echo '?')"
  dir=$(sed -n 's/.*python-zeroconf size 100: starting gateway in \(\S*\).*/\1/p' "$out/run.log")
  if grep -q DEBUG "$dir/gateway.log"; then
    python3 docs/notes-burst/timeline.py "$dir/gateway.log" z100-
  fi
  if [ "${CPU:-0}" = 1 ]; then
    kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
    first=$(awk '/mDNS: found z100-/ && !/z100-0001 / { print substr($1, 12, 12); exit }' "$dir/gateway.log")
    last=$(awk '/introduced and listed/ { t = substr($1, 12, 12) } END { print t }' "$dir/gateway.log")
    from=$(python3 -c "h,m,s='$first'.split(':'); t=int(h)*3600+int(m)*60+float(s)-0.5; print('%02d:%02d:%06.3f'%(t//3600,t%3600//60,t%60))")
    python3 docs/notes-burst/cpu.py report "$out/cpu.txt" "$from" "$last"
  fi
done
rm -rf "$out"
