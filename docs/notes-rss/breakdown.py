#!/usr/bin/env python3
# docs/notes-rss/breakdown.py DIR...: for run.sh results taken with NMT=detail, RSS (from smaps) by owner, using NMT detail's reserved regions for JVM mmaps;
# anonymous memory outside them = glibc malloc (arenas, brk heap, big mmapped chunks). Prints MiB.
import re,sys,collections
def one(d):
    res=[]; nmt={}
    txt=open(d+'/nmt-load.txt').read()
    for m in re.finditer(r'\[0x([0-9a-f]+) - 0x([0-9a-f]+)\] reserved \d+KB for (.+?) from',txt):
        res.append((int(m.group(1),16),int(m.group(2),16),m.group(3)))
    for m in re.finditer(r'^-\s+(.+?) \(reserved=\d+KB, committed=(\d+)KB\)\s*\n(.*?)(?=^-|\Z)',txt,re.M|re.S):
        mal=re.search(r'\(malloc=(\d+)KB',m.group(3)); nmt[m.group(1)]=(int(m.group(2)), int(mal.group(1)) if mal else 0)
    tot_malloc=int(re.search(r'malloc: (\d+)KB',txt).group(1))
    res.sort()
    import bisect
    starts=[r[0] for r in res]
    def cat(a):
        i=bisect.bisect_right(starts,a)-1
        if i>=0 and res[i][0]<=a<res[i][1]: return res[i][2]
        return None
    out=collections.Counter(); cur=None
    for l in open(d+'/smaps-load.txt'):
        m=re.match(r'([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)',l)
        if m: cur=(int(m.group(1),16),m.group(4).strip()); continue
        if l.startswith('Rss:'):
            kb=int(l.split()[1]); c=cat(cur[0]); nm=cur[1]
            if c=='Java Heap': k='Java heap'
            elif c=='Metaspace': k='Metaspace (non-class)'
            elif c=='Class': k='Class space'
            elif c=='Shared class space' or 'classes.jsa' in nm: k='CDS archive (classes.jsa)'
            elif c=='Code': k='Code cache'
            elif c=='Thread Stack': k='Thread stacks'
            elif c is not None: k='other JVM mmap ('+c+')'
            elif nm.endswith('libjvm.so'): k='libjvm.so (file)'
            elif nm.endswith('/modules'): k='modules jimage (file)'
            elif nm.startswith('/'): k='other files (libc, libz, ...)'
            elif nm.startswith('[stack'): k='primordial stack'
            else: k='malloc (glibc arenas, brk, mmapped chunks)'
            out[k]+=kb
    return out,nmt,tot_malloc
dirs=sys.argv[1:]
R=[one(d) for d in dirs]
keys=[]
for o,_,_ in R:
    for k,_ in o.most_common():
        if k not in keys: keys.append(k)
print('| RSS, MiB | '+' | '.join(d.split('/')[-1] for d in dirs)+' |')
print('|---|'+'---:|'*len(dirs))
for k in keys: print(f'| {k} | '+' | '.join(f'{o[k]/1024:.1f}' for o,_,_ in R)+' |')
print('| **total RSS** | '+' | '.join(f'**{sum(o.values())/1024:.1f}**' for o,_,_ in R)+' |')
print('| NMT: malloc tracked (of it NMT\'s own) | '+' | '.join(f'{tm/1024:.1f} ({n.get("Native Memory Tracking",(0,0))[0]/1024:.1f})' for o,n,tm in R)+' |')
for cat in ['Symbol','Class','Thread','Code','Other','Internal','Module','Arena Chunk','Compiler','Synchronization','Object Monitors','GC']:
    print(f'|   malloc of NMT {cat} | '+' | '.join(f'{n.get(cat,(0,0))[1]/1024:.1f}' for o,n,tm in R)+' |')
