#!/usr/bin/env python3
"""What the gateway's CPU did during bursts: JFR execution samples in given windows, by thread, by the
first frame outside the JDK, and by frame (inclusive). Needs `jfr` (the JDK's) on PATH.

usage: jfr.py REC1.jfr[,REC2.jfr...] FROM-TO[,FROM-TO...]   (one window per recording, HH:MM:SS.mmm)
Record with: --gateway-java-opts "-XX:StartFlightRecording=filename=DIR/,settings=profile,dumponexit=true"
(a folder: one file per gateway process).
"""
import collections
import re
import subprocess
import sys

by_thread, by_package, inclusive = collections.Counter(), collections.Counter(), collections.Counter()
samples = 0
for recording, window in zip(sys.argv[1].split(','), sys.argv[2].split(',')):
    start, stop = window.split('-')
    text = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '40', recording],
                          capture_output=True, text=True, check=True).stdout
    for event in text.split('jdk.ExecutionSample')[1:]:
        m = re.search(r'startTime = (\d+:\d+:[\d.]+)', event)
        if not m or not start <= m.group(1) <= stop:
            continue
        samples += 1
        thread = re.search(r'sampledThread = "([^"]*)"', event)
        by_thread[re.sub(r'[-\d]+$', '', thread.group(1)) if thread else '?'] += 1
        frames = re.findall(r'^\s+([\w.$<>]+)\(.*?line:', event, re.M)
        own = next((f for f in frames if not f.startswith(('java.', 'jdk.', 'sun.'))), None)
        by_package['.'.join(own.split('.')[:3]) if own else '(JDK only)'] += 1
        for frame in set(frames):
            inclusive[frame] += 1
print('%d samples' % samples)
for title, counter, n in (('by thread', by_thread, 12), ('by first non-JDK package', by_package, 15),
                          ('by frame, inclusive', inclusive, 40)):
    print('-- ' + title)
    for name, count in counter.most_common(n):
        print('%5d %s' % (count, name))
