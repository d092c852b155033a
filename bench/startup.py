"""Start-to-ready benchmark: `benchling-webhook serve` against a warm local moto_server.

Measures, over N runs, the wall time from process start to the first 200 from /health/ready, the part
of it spent in the AWS round trips (the service logs resolve_ms), and the idle RSS after ready.
Usage: PYTHONPATH=tests python3 bench/startup.py [--runs 20] [--binary build/benchling-webhook]
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import base_env, run_cli  # noqa: E402
from harness.ports import free_port  # noqa: E402
from harness.world import World  # noqa: E402


def ready_once(binary, env):
    port = free_port()
    env = dict(env, PORT=str(port))
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/health/ready")
            if conn.getresponse().status == 200:
                break
        except OSError:
            pass
        time.sleep(0.001)
    elapsed = (time.perf_counter() - t0) * 1000
    time.sleep(1.0)  # idle
    with open(f"/proc/{proc.pid}/status") as f:
        rss_kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    proc.terminate()
    _, err = proc.communicate(timeout=10)
    resolve_ms = next(json.loads(l)["resolve_ms"] for l in err.splitlines() if '"configuration resolved"' in l)
    return elapsed, resolve_ms, rss_kib


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--binary", default="build/benchling-webhook")
    args = ap.parse_args()
    with MotoServer() as moto, FakeBenchling() as fake:
        stack, secret = World(moto).default(fake)
        env = base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret)
        run_cli(["config"], env)  # warm moto's lazily loaded backends
        runs = [ready_once(args.binary, env) for _ in range(args.runs)]
    total = [r[0] for r in runs]
    aws = [r[1] for r in runs]
    beyond = [r[0] - r[1] for r in runs]
    rss = [r[2] for r in runs]
    print(f"runs: {len(runs)}")
    print(f"start -> /health/ready 200: median {statistics.median(total):.1f} ms "
          f"(min {min(total):.1f}, max {max(total):.1f})")
    print(f"  of which AWS round trips (resolve_ms): median {statistics.median(aws):.1f} ms")
    print(f"  beyond the AWS round trips: median {statistics.median(beyond):.1f} ms")
    print(f"idle RSS after ready: median {statistics.median(rss) / 1024:.1f} MiB (max {max(rss) / 1024:.1f})")


if __name__ == "__main__":
    main()
