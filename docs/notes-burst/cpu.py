#!/usr/bin/env python3
"""CPU of the processes of a burst (gateway, python-zeroconf fleet, simulator, harness), per 100 ms.

usage: cpu.py sample SECONDS FILE        samples /proc every 50 ms (run it beside a burst)
       cpu.py report FILE FROM TO        FROM/TO as HH:MM:SS.mmm (UTC, the gateway log's clock)
Each report line: the window's start, all these processes' CPU in cores (2.0 = both cores busy), and
each process's share.
"""
import datetime
import os
import sys
import time

TICK = os.sysconf('SC_CLK_TCK')


def kind(cmdline):
    if b'io.wasmiot.bench' in cmdline:  # the harness names the jars and the script on its command line
        return 'harness'
    if b'wasmiot-gateway.jar' in cmdline:
        return 'gateway'
    if b'zeroconf-fleet.py' in cmdline:
        return 'python-zeroconf'
    if b'wasmiot-simulator.jar' in cmdline:
        return 'simulator'
    return None


def sample(seconds, path):
    end = time.time() + seconds
    with open(path, 'w') as out:
        while time.time() < end:
            now = time.time()
            for pid in filter(str.isdigit, os.listdir('/proc')):
                try:
                    with open('/proc/%s/cmdline' % pid, 'rb') as f:
                        k = kind(f.read())
                    if k:
                        with open('/proc/%s/stat' % pid) as f:
                            fields = f.read().rsplit(')', 1)[1].split()
                        out.write('%.3f %s %s %d\n' % (now, pid, k, int(fields[11]) + int(fields[12])))
                except OSError:
                    pass
            time.sleep(0.05)


def clock_seconds(clock):
    """HH:MM:SS.mmm of today (UTC, the gateway log's clock) as epoch seconds."""
    h, m, s = clock.split(':')
    midnight = datetime.datetime.now(datetime.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.timestamp() + int(h) * 3600 + int(m) * 60 + float(s)


def report(path, start, stop):
    at = clock_seconds
    series = {}
    for line in open(path):
        t, pid, k, ticks = line.split()
        series.setdefault((pid, k), []).append((float(t), int(ticks)))

    def ticks_at(points, t):
        before = [c for tt, c in points if tt <= t]
        return before[-1] if before else None
    t, stop_t = at(start), at(stop)
    while t < stop_t:
        shares, total = {}, 0.0
        for (pid, k), points in series.items():
            a, b = ticks_at(points, t), ticks_at(points, t + 0.1)
            if a is not None and b is not None:
                cores = (b - a) / TICK / 0.1
                shares[k] = shares.get(k, 0) + cores
                total += cores
        print('%s  %.1f cores  %s' % (datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime('%H:%M:%S.%f')[:-3],
                                      total, '  '.join('%s %.1f' % kv for kv in sorted(shares.items()))))
        t += 0.1


if __name__ == '__main__':
    if sys.argv[1] == 'sample':
        sample(float(sys.argv[2]), sys.argv[3])
    else:
        report(sys.argv[2], sys.argv[3], sys.argv[4])
