#!/usr/bin/env python3
"""Summarize results*.tsv of floor.HttpFloor: per client/flags/close, median and min of CPU ms per request."""
import sys, statistics as st, collections
rows = collections.defaultdict(list)
for path in sys.argv[1:]:
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        client, flags, close, rnd, n, cpu, wall, fail = f[0], f[1], f[2], int(f[3]), int(f[4]), float(f[5]), float(f[6]), int(f[7])
        g = dict(kv.split('=') for kv in f[9].split())
        g = {k: float(v) for k, v in g.items()}
        rows[(client, flags, close)].append(dict(rnd=rnd, cpu=cpu, wall=wall, fail=fail, jit=g.get('jit', 0.0), g=g))
def fmt(x): return f"{x:.3f}"
print("| client | JVM flags | Connection: close | rounds | CPU ms/req median | min | ex-JIT median | min | JIT median | wall ms/1000 median | failures | rounds 2-3 only: median / min |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
order = ['jdk', 'jdk-direct', 'urlconn', 'apache-classic', 'apache-async', 'raw-socket']
for key in sorted(rows, key=lambda k: (k[2] != 'true', k[1], order.index(k[0]) if k[0] in order else 99)):
    r = rows[key]
    cpu = [x['cpu'] for x in r]; ex = [x['cpu'] - x['jit'] for x in r]; jit = [x['jit'] for x in r]
    late = [x['cpu'] for x in r if x['rnd'] >= 2]
    print(f"| {key[0]} | {key[1]} | {key[2]} | {len(r)} | {fmt(st.median(cpu))} | {fmt(min(cpu))} | {fmt(st.median(ex))} | {fmt(min(ex))} | "
          f"{fmt(st.median(jit))} | {st.median([x['wall'] for x in r]):.0f} | {sum(x['fail'] for x in r)} | {fmt(st.median(late))} / {fmt(min(late))} |")
# thread breakdown medians
print()
print("Median CPU ms/req by thread group (live threads, /proc/self/task/*/schedstat):")
for key in sorted(rows, key=lambda k: (k[2] != 'true', k[1], order.index(k[0]) if k[0] in order else 99)):
    r = rows[key]
    groups = sorted({k for x in r for k in x['g']})
    parts = []
    for gname in groups:
        v = st.median([x['g'].get(gname, 0.0) for x in r])
        if abs(v) >= 0.005:
            parts.append(f"{gname}={v:.3f}")
    print(f"  {key[0]:15} {key[1]:6} close={key[2]:5} " + " ".join(parts))
