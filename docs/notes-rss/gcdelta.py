# docs/notes-rss/gcdelta.py jstat0 jstat1: young/full GC counts and times between two jstat -gc readings.
import sys
def rd(f):
    l=open(f).read().split('\n'); return dict(zip(l[0].split(),l[1].split()))
a,b=rd(sys.argv[1]),rd(sys.argv[2])
d=lambda k: float(b[k])-float(a[k])
print("gc ygc %d ygct %.2f fgc %d fgct %.2f oldC %.0fK oldU %.0fK edenC %.0fK" % (d('YGC'),d('YGCT'),d('FGC'),d('FGCT'),float(b['OC']),float(b['OU']),float(b['EC'])))
