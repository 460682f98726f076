#!/usr/bin/env bash
# docs/notes-rss/startup.sh RUNS OPTSFILE...: like bin/measure-startup (fresh data folder, curl every
# 20 ms), interleaving the given JVM options files; prints "file ms" to GET /file/device -> [] per start.
#   bin/netns-run bash docs/notes-rss/startup.sh 8 /tmp/old.options runtime/jvm.options
runs=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
for r in $(seq 1 $runs); do
  for f in "$@"; do
    case $f in /*) ;; *) f=$top/$f;; esac
    work=$(mktemp -d /tmp/rss-start.XXXXXX); cd $work
    envs=""; [ -f "$f.env" ] && envs=$(cat "$f.env")
    start=$(date +%s%N)
    env $envs java $(sed -e 's/#.*//' "$f") -Dgosh.args=--nointeractive -jar $top/runtime/target/wasmiot-gateway.jar > gateway.log 2>&1 &
    pid=$!
    until [ "$(curl -s localhost:3000/file/device 2>/dev/null)" = "[]" ]; do sleep 0.02; done
    echo "$(basename $f) $(( ($(date +%s%N) - start) / 1000000 ))"
    kill $pid; wait $pid 2>/dev/null; cd /; rm -rf $work
  done
done
