#!/bin/sh
# docs/notes-updates/experiment.sh [GATEWAY_JAR]: which probe bundle runs after updates through
# the web console (Install/Update with a jar) and (a) a clean stop and start, (b) kill -9 and start.
# Run it inside the private namespace (the gateway browses mDNS):
#   bin/netns-run docs/notes-updates/experiment.sh
# It works in a new temporary folder and prints the probe bundle's version at each step. JAVA_OPTS go to
# java: JAVA_OPTS=-Dlaunch.keep=false gives the launcher's behaviour before the fix (storage wiped at each start).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
jar=${1:-$top/runtime/target/wasmiot-gateway.jar}
work=$(mktemp -d)
port=3917
cd "$work"
echo "work folder: $work; framework storage folders in ${TMPDIR:-/tmp} before: $(ls -d "${TMPDIR:-/tmp}"/osgi.*.fw 2>/dev/null | wc -l)"

# The same probe bundle with other versions: the jars the operator installs.
unzip -q -o "$jar" 'jar/wasmiot.gateway.probe-*.jar' -d embedded
for n in 1 2 3; do
  cp embedded/jar/wasmiot.gateway.probe-*.jar probe-updated$n.jar
  printf 'Bundle-Version: 0.1.0.updated%s\n' $n > version.mf
  jar --update --file probe-updated$n.jar --manifest version.mf 2>/dev/null
done

start() {
  # shellcheck disable=SC2086 # JAVA_OPTS: one option per word
  java -Xmx256m ${JAVA_OPTS:-} -Dorg.osgi.service.http.port=$port -jar "$jar" >> gateway.log 2>&1 &
  pid=$!
  i=0
  until curl -fs -o /dev/null "http://127.0.0.1:$port/file/device"; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "no answer; see $work/gateway.log"; exit 1; }
    sleep 0.1
  done
}
install() {
  curl -fs -u "$(auth)" -o /dev/null -F action=install -F bundlestart=start -F "bundlefile=@$1" \
    "http://127.0.0.1:$port/system/console/bundles"
  sleep 3 # the console updates the bundle in a background thread
}
auth() { echo "admin:$(cat data/console-password 2>/dev/null)"; }
probe_version() {
  # the web console lists the installed bundles with their versions; wait until it serves
  i=0
  until curl -fs -u "$(auth)" "http://127.0.0.1:$port/system/console/bundles.json" > bundles.json; do
    i=$((i + 1)); [ $i -lt 300 ] || { echo "console not answering"; exit 1; }
    sleep 0.1
  done
  python3 -c 'import json,sys
for b in json.load(open("bundles.json"))["data"]:
    if b["symbolicName"] == "wasmiot.gateway.probe": print(b["version"], b["state"])'
}

start
echo "1. started:                         probe $(probe_version)"
install probe-updated1.jar
echo "2. after Install/Update:            probe $(probe_version)"
kill -TERM $pid; wait $pid || true
start
echo "3. after a clean stop and a start:  probe $(probe_version)"
install probe-updated2.jar
echo "4. updated again (another jar):    probe $(probe_version)"
kill -KILL $pid; wait $pid || true
start
echo "5. after kill -9 and a start:       probe $(probe_version)"
kill -TERM $pid; wait $pid || true

# A new gateway jar (new firmware) whose embedded probe differs from the one it installed before:
# the same jar with probe-updated3.jar in the probe's place and the manifest's digest to match.
python3 - "$jar" new-gateway.jar probe-updated3.jar <<'PY'
import base64, hashlib, sys, zipfile
src, dst, probe = sys.argv[1:]
new = open(probe, 'rb').read()
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
    name = next(n for n in zin.namelist() if n.startswith('jar/wasmiot.gateway.probe-'))
    old_digest = base64.b64encode(hashlib.sha256(zin.read(name)).digest()).decode()
    new_digest = base64.b64encode(hashlib.sha256(new).digest()).decode()
    for item in zin.infolist():
        data = new if item.filename == name else zin.read(item.filename)
        if item.filename == 'META-INF/MANIFEST.MF':
            data = data.replace(old_digest.encode(), new_digest.encode())
        zout.writestr(item, data)
PY
jar=$work/new-gateway.jar
start
echo "6. a new gateway jar with probe 0.1.0.updated3 on this data: probe $(probe_version)"
kill -TERM $pid; wait $pid || true
echo "framework storage folders in ${TMPDIR:-/tmp} after: $(ls -d "${TMPDIR:-/tmp}"/osgi.*.fw 2>/dev/null | wc -l); in $work/data: $(ls data | tr "\n" " ")"
