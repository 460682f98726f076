#!/usr/bin/env python3
"""CPU of the gateway's threads over a window of a burst, and how idle the machine was.

usage: threads.py sample SECONDS FILE [harness]   samples /proc every 50 ms (run it beside a burst);
                                                  with "harness", the harness's threads instead
       threads.py report FILE FROM TO             FROM/TO as HH:MM:SS.mmm (UTC, the gateway log's clock)
The report: the machine's idle CPU seconds in the window (from /proc/stat; 2 cores give 2 CPU
seconds a second), then the gateway's CPU seconds by thread name (numbers stripped, so the pool
wasmiot-probe-1..4 is one line). The gateway is the process running wasmiot-gateway.jar that is
not the harness (whose command line names the jar too); a new gateway per burst is picked up.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpu import clock_seconds  # noqa: E402 (beside this script)

TICK = os.sysconf('SC_CLK_TCK')


def gateway_pid(harness=False):
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                cmdline = f.read()
        except OSError:
            continue
        if harness and b'io.wasmiot.bench.Harness' in cmdline:
            return pid
        if not harness and b'wasmiot-gateway.jar' in cmdline and b'io.wasmiot.bench' not in cmdline:
            return pid
    return None


def sample(seconds, path, harness=False):
    end = time.time() + seconds
    with open(path, 'w') as out:
        while time.time() < end:
            now = time.time()
            with open('/proc/stat') as f:
                fields = f.readline().split()
            out.write('%.3f - IDLE %d\n' % (now, int(fields[4]) + int(fields[5])))  # idle + iowait
            pid = gateway_pid(harness)
            for tid in os.listdir('/proc/%s/task' % pid) if pid else []:
                try:
                    with open('/proc/%s/task/%s/stat' % (pid, tid)) as f:
                        stat = f.read()
                except OSError:
                    continue
                name = stat[stat.index('(') + 1:stat.rindex(')')].replace(' ', '_')
                rest = stat.rsplit(')', 1)[1].split()
                out.write('%.3f %s/%s %s %d\n' % (now, pid, tid, name, int(rest[11]) + int(rest[12])))
            time.sleep(0.05)


def report(path, start, stop):
    t_from, t_to = clock_seconds(start), clock_seconds(stop)
    with open(path) as f:
        sampled_from = float(f.readline().split()[0])
    if t_from < sampled_from:
        print('(the window starts before the sampling did: taken from %.3f s later)' % (sampled_from - t_from))
        t_from = sampled_from
    first, last = {}, {}  # a thread first sampled after FROM was born in the window: counted from 0
    for line in open(path):
        t, key, name, ticks = line.split()
        t = float(t)
        if t <= t_from:
            first[(key, name)] = int(ticks)
        if t <= t_to:
            last[(key, name)] = int(ticks)
    totals = {}
    for (key, name), ticks in last.items():
        label = name if name == 'IDLE' else name.rstrip('0123456789-')
        totals[label] = totals.get(label, 0) + ticks - first.get((key, name), 0)
    idle = totals.pop('IDLE', 0)
    print('window %.3f s: machine idle %.2f CPU s; the process %.2f CPU s' % (t_to - t_from, idle / TICK,
                                                                         sum(totals.values()) / TICK))
    for name, ticks in sorted(totals.items(), key=lambda kv: -kv[1]):
        if ticks:
            print('  %-28s %.2f' % (name, ticks / TICK))


if __name__ == '__main__':
    if sys.argv[1] == 'sample':
        sample(float(sys.argv[2]), sys.argv[3], len(sys.argv) > 4 and sys.argv[4] == 'harness')
    else:
        report(sys.argv[2], sys.argv[3], sys.argv[4])
