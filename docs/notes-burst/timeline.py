#!/usr/bin/env python3
"""Where a burst's devices spend their time in the gateway, from its log (DEBUG for probe and core).

usage: timeline.py GATEWAY_LOG PREFIX
Per device (the prefix's first device, the warm-up, is left out): mDNS found -> description answered
-> introduced and listed (stored) -> first health answered; medians / p90 / max, and the store's
batches. Times are the log's (one clock); offsets are from the first device found.
"""
import re
import sys

log, prefix = sys.argv[1], sys.argv[2]
events, port_names, batches = {}, {}, []
line_re = re.compile(r'\S+T(\d+):(\d+):([\d.]+)Z \[(\S+)\] \w+ \w+ - (.*)')
for line in open(log, encoding='utf-8', errors='replace'):
    m = line_re.match(line)
    if not m:
        continue
    t = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    msg = m.group(5)
    x = re.search(r'mDNS: found (%s\S+) at \[.*\] port (\d+)' % re.escape(prefix), msg)
    if x:
        port_names[x.group(2)] = x.group(1)
        events.setdefault(x.group(1), {})['found'] = t
        continue
    x = re.search(r'Device (%s\S+) \(\w+\) introduced and listed' % re.escape(prefix), msg)
    if x:
        events.setdefault(x.group(1), {})['stored'] = t
        continue
    x = re.search(r'GET http://[\d.]+:(\d+)/(\S+) -> HTTP \d+ in (\d+) ms', msg)
    if x and x.group(1) in port_names:
        kind = 'description' if 'description' in x.group(2) else 'health'
        events[port_names[x.group(1)]].setdefault(kind, t)
        events[port_names[x.group(1)]].setdefault(kind + '_ms', int(x.group(3)) / 1000)
        continue
    x = re.search(r'Stored (\d+) whole device\(s\) in one transaction in (\d+) ms', msg)
    if x:
        batches.append((int(x.group(1)), int(x.group(2))))

rows = [e for n, e in events.items() if not n.endswith('-0001') and {'found', 'description', 'stored'} <= e.keys()]
if not rows:
    sys.exit('no device of %s with found, description and stored lines (DEBUG on for probe and core?)' % prefix)
first = min(e['found'] for e in rows)


def show(label, values):
    v = sorted(values)
    print('%-48s p50 %.3f  p90 %.3f  max %.3f s' % (label, v[len(v) // 2], v[int(len(v) * 0.9)], v[-1]))


print('%d devices' % len(rows))
show('found, after the first found', [e['found'] - first for e in rows])
show('found -> description answered', [e['description'] - e['found'] for e in rows])
show('  of which the GET itself (send to judged)', [e['description_ms'] for e in rows])
show('description answered -> stored (listed)', [e['stored'] - e['description'] for e in rows])
with_health = [e for e in rows if 'health' in e]
if with_health:
    show('stored -> first health answered', [e['health'] - e['stored'] for e in with_health])
show('found -> stored', [e['stored'] - e['found'] for e in rows])
if batches:
    print('whole-device store batches (devices, ms):', ' '.join('%d/%d' % b for b in batches))
