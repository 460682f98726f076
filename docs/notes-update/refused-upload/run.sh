#!/bin/sh
# Refused uploads against the real jar (by default 8 MiB to POST /gateway/updates with a wrong token):
# how many of their answers arrive.
# From the repository root: bin/netns-run docs/notes-update/refused-upload/run.sh [PATH BYTES STATUS]   (N=200 by default;
# the default PATH BYTES STATUS is /gateway/updates 8388608 401)
set -eu
root=$(pwd); here=$(mktemp -d)
mkdir -p "$here/conf" && printf '.apiToken=secret\n' > "$here/conf/wasmiot.gateway.rest.cfg"
cd "$here"
# shellcheck disable=SC2046 # one option per word, by design
java $(sed -e 's/#.*//' "$root/runtime/jvm.options") -Dgosh.args=--nointeractive -Dorg.osgi.service.http.port=3111 \
    -jar "$root/runtime/target/wasmiot-gateway.jar" > gateway.log 2>&1 &
gateway=$!
for _ in $(seq 60); do curl -s -o /dev/null http://127.0.0.1:3111/health && break; sleep 1; done
sleep 3
java "$root/docs/notes-update/refused-upload/Refused.java" 3111 "${N:-200}" "$@"
kill $gateway; wait $gateway 2>/dev/null || true
echo "gateway's folder: $here"
