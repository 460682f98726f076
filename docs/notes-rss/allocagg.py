# docs/notes-rss/allocagg.py alloc.txt: sums jfr print --events jdk.ObjectAllocationSample output by
# first non-JDK frame, by first library/app package, and by class.
import re,sys,collections
# aggregate jdk.ObjectAllocationSample weight by first frame outside java.*/jdk.*/sun.* , and by objectClass
txt=open(sys.argv[1]).read()
ev=txt.split('jdk.ObjectAllocationSample {')[1:]
byframe=collections.Counter(); bycls=collections.Counter(); tot=0; bypkg=collections.Counter()
for e in ev:
    w=re.search(r'weight = ([\d.]+) (\w+)',e)
    v=float(w.group(1))*{'bytes':1,'kB':1024,'MB':1<<20,'GB':1<<30}[w.group(2)]
    tot+=v
    c=re.search(r'objectClass = (\S+)',e).group(1); bycls[c]+=v
    frames=re.findall(r'^\s+([\w$./<>]+)\(',e,re.M)
    app=next((f for f in frames if not re.match(r'(java|jdk|sun|com\.sun)\.',f)),frames[0] if frames else '?')
    byframe[app]+=v
    pk=next((f for f in frames if re.match(r'(io\.wasmiot|org\.h2|org\.eclipse\.jetty|com\.fasterxml|javax\.jmdns|org\.apache)',f)), 'jdk-only: '+(frames[-1] if frames else '?'))
    pk='.'.join(pk.split('.')[:4]) if not pk.startswith('jdk-only') else pk
    bypkg[pk]+=v
print('total sampled weight %.1f MB in %d samples'%(tot/2**20,len(ev)))
for name,cnt in (('first non-JDK frame',byframe),('first app/library frame (package)',bypkg),('class',bycls)):
    print('--',name)
    for k,v in cnt.most_common(18): print('%7.1f MB %5.1f%%  %s'%(v/2**20,100*v/tot,k))
