#!/usr/bin/env python3
# docs/notes-rss/hprof.py FILE.hprof [MINBYTES]: byte[] size distribution, the fields/arrays that refer
# to byte[] >= MINBYTES (default 4096), shallow size by package. (jcmd PID GC.heap_dump FILE)
import struct,sys,collections,mmap
f=open(sys.argv[1],'rb'); m=mmap.mmap(f.fileno(),0,access=mmap.ACCESS_READ)
p=m.find(b'\0')+1
idsz=struct.unpack('>I',m[p:p+4])[0]; p+=12
assert idsz==8
def rid(o): return struct.unpack('>Q',m[o:o+8])[0]
strings={}; clsname={}; classes={}  # class id -> (super, [(name,type)])
tsize={2:8,4:1,5:2,6:4,7:8,8:1,9:2,10:4,11:8}
bytearrs={}  # id->len
objs=[]  # (id, classid, offset, length)
objarrs=[]
while p<len(m):
    tag=m[p]; ln=struct.unpack('>I',m[p+5:p+9])[0]; body=p+9; end=body+ln; p=end
    if tag==1: strings[rid(body)]=m[body+8:end].decode('utf8','replace')
    elif tag==2: clsname[rid(body+4)]=rid(body+16)
    elif tag in (0x0c,0x1c):
        q=body
        while q<end:
            st=m[q]; q+=1
            if st==0xff: q+=8
            elif st in (1,): q+=16
            elif st in (2,3): q+=16
            elif st==4: q+=12
            elif st in (5,7): q+=8
            elif st==6: q+=12
            elif st==8: q+=16
            elif st==0x20:
                cid=rid(q); sup=rid(q+12); q+=7*8+4+4
                ncp=struct.unpack('>H',m[q:q+2])[0]; q+=2
                for _ in range(ncp):
                    t=m[q+2]; q+=3+ (8 if t==2 else tsize[t])
                ns=struct.unpack('>H',m[q:q+2])[0]; q+=2
                for _ in range(ns):
                    t=m[q+8]; q+=9+(8 if t==2 else tsize[t])
                ni=struct.unpack('>H',m[q:q+2])[0]; q+=2
                fl=[]
                for _ in range(ni):
                    fl.append((rid(q),m[q+8])); q+=9
                classes[cid]=(sup,fl)
            elif st==0x21:
                oid=rid(q); cid=rid(q+12); n=struct.unpack('>I',m[q+20:q+24])[0]
                objs.append((oid,cid,q+24,n)); q+=24+n
            elif st==0x22:
                oid=rid(q); n=struct.unpack('>I',m[q+12:q+16])[0]; acid=rid(q+16)
                objarrs.append((oid,acid,q+24,n)); q+=24+8*n
            elif st==0x23:
                oid=rid(q); n=struct.unpack('>I',m[q+12:q+16])[0]; t=m[q+16]
                if t==8: bytearrs[oid]=n
                q+=17+n*tsize[t]
            else: raise Exception('subtag %x'%st)
name=lambda cid: strings.get(clsname.get(cid),'?')
hist=collections.Counter(); cnt=collections.Counter()
for n in bytearrs.values():
    b=1<<max(0,(n-1).bit_length()) if n else 0
    hist[b]+=n; cnt[b]+=1
print('byte[] by size bucket (<= N bytes): count, MiB')
for b in sorted(hist): print(f'{b:>9} {cnt[b]:>7} {hist[b]/2**20:8.2f}')
print('total byte[]', len(bytearrs), sum(bytearrs.values())/2**20,'MiB')
# referrers of byte[] >= 4096
big={k:v for k,v in bytearrs.items() if v>=int(sys.argv[2]) } if len(sys.argv)>2 else {k:v for k,v in bytearrs.items() if v>=4096}
ref=collections.Counter(); refc=collections.Counter()
def fields(cid):
    out=[]
    while cid:
        sup,fl=classes[cid]; out+=fl; cid=sup
    return out
fcache={}
for oid,cid,off,n in objs:
    fl=fcache.get(cid)
    if fl is None: fl=fcache[cid]=fields(cid)
    q=off
    for fn,t in fl:
        if t==2:
            v=rid(q)
            if v in big: ref[name(cid)+'.'+strings.get(fn,'?')]+=big[v]; refc[name(cid)+'.'+strings.get(fn,'?')]+=1
            q+=8
        else: q+=tsize[t]
for oid,acid,off,n in objarrs:
    for i in range(n):
        v=rid(off+8*i)
        if v in big: ref[name(acid)+'[]']+=big[v]; refc[name(acid)+'[]']+=1
print('referrers of big byte[]:')
for k,v in ref.most_common(25): print(f'{v/2**20:8.2f} MiB {refc[k]:>6}  {k}')
# shallow size by package (instances: 16-byte header + field bytes, rounded to 8; arrays by element class)
pk=collections.Counter()
for oid,cid,off,n in objs:
    nm=name(cid).replace('/','.'); p='.'.join(nm.split('.')[:3])
    pk[p]+= (16+n+7)//8*8
for oid,acid,off,n in objarrs:
    nm=name(acid).replace('/','.'); p='.'.join(nm.lstrip('[L').split('.')[:3])+'[]'
    pk[p]+= (16+4*n+7)//8*8
print('shallow size of instances by package (top):')
for k,v in pk.most_common(25): print(f'{v/2**20:8.2f} MiB  {k}')
