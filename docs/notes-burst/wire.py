#!/usr/bin/env python3
"""A burst's devices from the wire to listed: when each device's first announcement was on the wire
(the harness's wire listener, dumped by wire-dump.patch), when the gateway found it (mDNS) and when
it was introduced and listed (stored), all as seconds after the burst's start.

usage: wire.py WIRE_DUMP_FILE GATEWAY_LOG
"""
import datetime
import re
import sys


def seconds(iso):
    iso = iso.rstrip('Z')
    whole, _, fraction = iso.partition('.')
    t = datetime.datetime.fromisoformat(whole).replace(tzinfo=datetime.timezone.utc).timestamp()
    return t + (float('0.' + fraction) if fraction else 0.0)


wire = dict(line.split() for line in open(sys.argv[1]) if line.strip())
t0 = seconds(wire.pop('T0'))
found, listed = {}, {}
for line in open(sys.argv[2], encoding='utf-8', errors='replace'):
    m = re.match(r'(\S+Z) .*mDNS: found (\S+) ', line)
    if m:
        found[m.group(2)] = seconds(m.group(1))
    m = re.match(r'(\S+Z) .*Device (\S+) \(\w+\) introduced and listed', line)
    if m:
        listed[m.group(2)] = seconds(m.group(1))
rows = [(seconds(w) - t0, found[n] - t0, listed[n] - t0) for n, w in wire.items() if n in found and n in listed]


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


print('%d devices, seconds after the burst started' % len(rows))
for i, label in enumerate(['on the wire', 'found (mDNS)', 'listed (stored)']):
    v = [r[i] for r in rows]
    print('%-16s first %.3f  p50 %.3f  p90 %.3f  last %.3f' % (label, min(v), pct(v, .5), pct(v, .9), max(v)))
gap = [r[1] - r[0] for r in rows]
print('%-16s p50 %.3f  p90 %.3f  max %.3f' % ('wire -> found', pct(gap, .5), pct(gap, .9), max(gap)))
