#!/bin/bash
# Interleaved runs of io.wasmiot.gateway.probe.internal.HttpFloor against a simulator already running (see README.md).
# usage: ./run.sh [REPS] [OUT] [CLOSE] [CLIENTS...]
set -euo pipefail
cd "$(dirname "$0")"
REPS=${1:-3}; OUT=${2:-results.tsv}; CLOSE=${3:-true}; shift 3 2>/dev/null || shift $#
CLIENTS=${*:-"jdk jdk-direct urlconn apache-classic apache-async raw-socket"}
GW=$(grep -v '^\s*#' ../../../runtime/jvm.options | grep -v '^\s*$' | tr '\n' ' ')
C2=$(echo "$GW" | sed 's/-XX:TieredStopAtLevel=1//')
EXTRA="-Djdk.httpclient.allowRestrictedHeaders=connection"   # lets the JDK client send Connection: close
for rep in $(seq 1 "$REPS"); do
  for client in $CLIENTS; do
    for flags in ${FLAGSETS:-gw gw-c2}; do
      if [ "$flags" = gw ]; then F=$GW; else F=$C2; fi
      java $F $EXTRA -cp "classes:lib/*:../../../bundles/probe/target/wasmiot.gateway.probe-0.1.0-SNAPSHOT.jar" io.wasmiot.gateway.probe.internal.HttpFloor --client "$client" --ports ports.txt \
        --warmup "${WARMUP:-1000}" --rounds 3 --n 1000 --concurrency 64 --close "$CLOSE" --label "$flags" --out "$OUT" \
        2> >(grep -v SLF4J >&2)
    done
  done
done
