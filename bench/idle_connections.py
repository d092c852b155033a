"""Idle connections and descriptor exhaustion: what they cost the service.

1. Memory: VmRSS of `benchling-webhook serve` before and after N idle connections (connected, nothing sent),
   read once the server holds them all and after a normal request; the growth per connection.
2. Out of descriptors: the process's `nofile` limit is lowered to its open descriptors + 40, then 100
   silent connections arrive (60 more than it can take) and stay; CPU seconds (user + system) and log lines
   of the service over the next S seconds. The server sheds the connection idle longest for each one it
   cannot accept, and backs off between failed accepts, so this should be near zero.

Usage: PYTHONPATH=tests python3 bench/idle_connections.py [--connections 500] [--seconds 3] [--runs 3]
                                                          [--binary build/benchling-webhook]
"""
import argparse
import os
import resource
import socket
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
os.environ.setdefault("BW_BINARY", "build/benchling-webhook")
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import Service, base_env  # noqa: E402
from harness.waiting import proc_status  # noqa: E402
from harness.world import World  # noqa: E402


def wait_fds(pid, at_least, timeout=20.0):
    deadline = time.monotonic() + timeout
    while proc_status(pid)["fds"] < at_least:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server never held {at_least} descriptors")
        time.sleep(0.05)


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    return s


def memory_run(env, n):
    svc = Service(env, args=["--workers", "0"]).start()
    try:
        svc.wait_ready()
        svc.get("/health/live")
        time.sleep(0.5)  # settle: the readiness probes' connections closed
        before = proc_status(svc.proc.pid)
        socks = [connect(svc.port) for _ in range(n)]
        wait_fds(svc.proc.pid, before["fds"] + n)
        svc.get("/health/live")
        after = proc_status(svc.proc.pid)
        for s in socks:
            s.close()
        return (after["rss_kib"] - before["rss_kib"]) / 1024, before["rss_kib"] / 1024
    finally:
        svc.stop()


def exhaustion_run(env, seconds):
    svc = Service(env, args=["--workers", "0"]).start()
    socks = []
    try:
        svc.wait_ready()
        pid = svc.proc.pid
        base = proc_status(pid)
        _, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
        resource.prlimit(pid, resource.RLIMIT_NOFILE, (base["fds"] + 40, hard))
        lines, cpu = len(svc.lines), proc_status(pid)["cpu_s"]
        socks = [connect(svc.port) for _ in range(100)]
        time.sleep(seconds)
        return proc_status(pid)["cpu_s"] - cpu, len(svc.lines) - lines
    finally:
        for s in socks:
            s.close()
        svc.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connections", type=int, default=500)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=None)
    args = ap.parse_args()
    if args.binary:
        import harness.service
        harness.service.BINARY = args.binary
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    with MotoServer() as moto, FakeBenchling() as fake:
        stack, secret = World(moto).default(fake)
        env = base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret)
        memory = [memory_run(env, args.connections) for _ in range(args.runs)]
        exhaustion = [exhaustion_run(env, args.seconds) for _ in range(args.runs)]
    growth = [g for g, _ in memory]
    print(f"runs: {args.runs}")
    print(f"RSS before: median {statistics.median(b for _, b in memory):.1f} MiB")
    print(f"RSS growth for {args.connections} idle connections: median {statistics.median(growth):.2f} MiB "
          f"(max {max(growth):.2f}) = {statistics.median(growth) * 1024 / args.connections:.1f} KiB each")
    cpu = [c for c, _ in exhaustion]
    lines = [n for _, n in exhaustion]
    print(f"out of descriptors, 60 connections over the limit, {args.seconds:g} s: CPU median {statistics.median(cpu):.3f} s "
          f"(max {max(cpu):.3f}), log lines median {statistics.median(lines):g} (max {max(lines)})")


if __name__ == "__main__":
    main()
