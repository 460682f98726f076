# docs/notes-rss/mallocpost.sh: POST hook of run.sh: glibc malloc_info (via gdb) before and after
# jcmd System.trim_native_heap; the XML lands in the gateway's log (its stderr).
mi() { gdb -p $gw -batch -nx -ex 'call (int)malloc_info(0, *(void**)&stderr)' -ex detach >/dev/null 2>&1; }
echo "--- before trim"; jcmd $gw VM.native_memory summary | grep -E "malloc:|Total"; grep VmRSS /proc/$gw/status
mi; sleep 0.5
jcmd $gw System.trim_native_heap | tail -1; grep VmRSS /proc/$gw/status
mi; sleep 0.5
grep -o '<total type="[a-z]*" count="[0-9]*" size="[0-9]*"/>\|<system type="[a-z]*" size="[0-9]*"/>\|<heap nr="[0-9]*">' $out/gateway.log | tail -200 > $out/malloc_info.txt
pmap $gw | grep -o '[a-z0-9_]*\.so[.0-9]*' | sort -u | tr '\n' ' '
