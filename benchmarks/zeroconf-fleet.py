#!/usr/bin/python3
# benchmarks/zeroconf-fleet.py: python-zeroconf devices for bin/benchmark (io.wasmiot.bench.ZeroconfFleet).
#
# Advertises `_webthing._tcp` services over mDNS the way python-zeroconf does it (the reference
# orchestrator's issue-8 figures were measured with such devices, and the real Python WasmIoT
# supervisors use it): each service is probed 3 times 175 ms apart, then announced at once. It only
# advertises; the devices' HTTP (description, health) is served by the Java simulator started with
# `--no-mdns`, whose `UP name address:port` lines give the names and ports to advertise here.
#
# Needs Debian's python3-zeroconf (`apt-get install python3-zeroconf`; 0.47.3 on bookworm) and
# /usr/bin/python3 (a pyenv python first on PATH lacks the package). Run it inside bin/netns-run:
# it binds one mDNS socket to --address (127.0.0.1 by default), IPv4 only.
#
# Commands on stdin, one a line; answers on stdout, one line each:
#   (start)                      READY 0
#   add NAME PORT [NAME PORT]... (queues services; no answer)
#   queued                       QUEUED n                  how many are queued, so the caller knows they are parsed
#   go                           PROBED n secs, READY total secs
#                                registers every queued service at once (asyncio.gather): PROBED when all
#                                n are probed (their first announcement goes out then), READY when all
#                                announcements are sent; secs from reading `go`. A burst is one `go`.
#   close, or end of input       CLOSED total secs, then exits: every service unregistered (goodbye packets)
#   anything wrong               ERROR message
# Each service: instance NAME._webthing._tcp.local., server NAME.local. with the address, the port,
# TXT path=/ tls=0 address=<address>. Record lifetimes are python-zeroconf's (--host-ttl 120 for SRV
# and A, --other-ttl 4500 for PTR and TXT) unless given: shorter ones let a test outlive them in seconds.
# A stopped or killed python supervisor sends no goodbye: SIGKILL this process for that (`close` sends them).
import argparse
import asyncio
import socket
import sys
import time

from zeroconf import IPVersion
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

TYPE = "_webthing._tcp.local."


def say(line):
    print(line, flush=True)


async def main():
    parser = argparse.ArgumentParser(description="python-zeroconf devices for bin/benchmark")
    parser.add_argument("--address", default="127.0.0.1", help="IPv4 address to bind and advertise (default 127.0.0.1)")
    parser.add_argument("--host-ttl", type=int, default=120, help="SRV and A record lifetime, s (python-zeroconf: 120)")
    parser.add_argument("--other-ttl", type=int, default=4500, help="PTR and TXT record lifetime, s (python-zeroconf: 4500)")
    args = parser.parse_args()
    address = args.address
    packed = socket.inet_aton(address)
    azc = AsyncZeroconf(interfaces=[address], ip_version=IPVersion.V4Only)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=1 << 20)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    pending = []
    registered = []
    names = set()
    say("READY 0")
    while True:
        line = await reader.readline()
        if not line:
            break
        words = line.decode("utf-8", "replace").split()
        if not words:
            continue
        command = words[0]
        if command == "add":
            pairs = words[1:]
            if not pairs or len(pairs) % 2:
                say("ERROR add NAME PORT [NAME PORT]...")
                continue
            for name, port in zip(pairs[0::2], pairs[1::2]):
                if name in names or not port.isdigit() or not 0 < int(port) < 65536:
                    say(f"ERROR bad or repeated device {name} {port}")
                    continue
                names.add(name)
                pending.append(AsyncServiceInfo(
                    TYPE, f"{name}.{TYPE}", addresses=[packed], port=int(port),
                    properties={"path": "/", "tls": "0", "address": address}, server=f"{name}.local.",
                    host_ttl=args.host_ttl, other_ttl=args.other_ttl))
        elif command == "queued":
            say(f"QUEUED {len(pending)}")
        elif command == "go":
            batch, pending = pending, []
            t0 = time.monotonic()
            results = await asyncio.gather(*(azc.async_register_service(i) for i in batch), return_exceptions=True)
            announcing = []
            for info, result in zip(batch, results):
                if isinstance(result, BaseException):
                    say(f"ERROR {info.name}: {result!r}")
                else:
                    announcing.append(result)
                    registered.append(info)
            say(f"PROBED {len(announcing)} {time.monotonic() - t0:.3f}")
            await asyncio.gather(*announcing, return_exceptions=True)
            say(f"READY {len(registered)} {time.monotonic() - t0:.3f}")
        elif command == "close":
            break
        else:
            say(f"ERROR unknown command {command}")
    t0 = time.monotonic()
    await azc.async_unregister_all_services()
    await azc.async_close()
    say(f"CLOSED {len(registered)} {time.monotonic() - t0:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
