"""Verified /lifecycle webhooks per second, next to the crypto limit, in one run.

The service is pinned to CPU 0 (taskset), wrk to CPU 1. Every request is a distinct delivery signed by the
fake Benchling (Python `cryptography`), so nothing is a replay. The reference is `openssl speed ecdsap256`
verify/s on CPU 0, measured right before and right after each load (their mean; a shared VM's speed drifts
within a minute, so the reference brackets the load it is compared with). Also reports p50/p99 latency and the service's peak RSS.
Usage: PYTHONPATH=tests python3 bench/webhook_load.py [--seconds 10] [--connections 32] [--deliveries 200000]
                                                      [--log-levels INFO,WARNING] [--profile]
With several log levels, each gets its own service in turn, and the CPU per request is compared.
With --cycles N, each level's service takes N loads of --seconds, each between two references (the reference
after one load is the one before the next), and the median of the N ratios is printed too: on a VM whose speed
drifts from minute to minute it moves far less than the ratio of one long load.
With --profile, the first level's run is sampled by `perf record -g` and `perf stat` (syscalls and context
switches per request), and its CPU is broken down by step (see STEPS), in us per request. With --count-mallocs,
the first level's run counts malloc() calls per request with a uprobe (slow: its throughput is not a figure).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import Service, base_env  # noqa: E402
from harness.world import World, create_work_queue, valid_secret  # noqa: E402

# Each line of the data file: webhook-id, webhook-timestamp, webhook-signature (no spaces in any).
LUA = """
local body = [[%s]]
local requests = {}
for line in io.lines("%s") do
  local id, ts, sig = line:match("^(%%S+) (%%S+) (%%S+)$")
  requests[#requests + 1] = wrk.format("POST", "/lifecycle", {
    ["Content-Type"] = "application/json", ["webhook-id"] = id,
    ["webhook-timestamp"] = ts, ["webhook-signature"] = sig}, body)
end
local i = 0
init = function(args)
  i = tonumber(args[1] or "0")  -- each cycle starts at its own slice of the deliveries: no replays
end
request = function()
  i = i %% #requests + 1
  return requests[i]
end
"""


# Where a sample's CPU went, by the first rule that matches its call chain (innermost frame first).
# Kernel samples are charged to the system call they serve; user samples to the library or our module.
STEPS = [
    ("signature verify (libcrypto)", lambda frames: "libcrypto" in frames[0][1]),
    ("kernel: write the response (sendmsg, sendto)", lambda f: any("sys_sendmsg" in s or "sys_sendto" in s for s, _ in f)),
    ("kernel: read the request (recvmsg)", lambda f: any("sys_recvmsg" in s or "sys_recvfrom" in s for s, _ in f)),
    ("kernel: wait for sockets (epoll_wait)", lambda f: any("sys_epoll_wait" in s for s, _ in f)),
    ("kernel: thread hand-offs (futex)", lambda f: any("sys_futex" in s for s, _ in f)),
    ("kernel: log output (write)", lambda f: any("sys_write" in s for s, _ in f)),
    ("kernel: accept, timers, other syscalls", lambda f: any("do_syscall_64" in s for s, _ in f)),
    ("kernel: interrupts, softirq, scheduling", lambda f: "kernel" in f[0][1]),
    ("malloc / free (libc)", lambda f: f[0][0].split("@")[0] in (
        "malloc", "_int_malloc", "_int_free", "cfree", "free", "malloc_consolidate", "unlink_chunk.constprop.0",
        "tcache_init", "operator new", "operator delete")),
    ("libc: copies, locks, other", lambda f: "libc.so" in f[0][1] or "libstdc++" in f[0][1]),
    ("HTTP parse / serialize (Beast)", lambda f: "boost::beast" in f[0][0]),
    ("log line (JSON, timestamp, batch)", lambda f: "bw::core::log" in f[0][0] or "strftime" in f[0][0]),
    ("JSON (envelope, response, log fields)", lambda f: "boost::json" in f[0][0]),
    ("coroutines, executors, timers (Asio)", lambda f: "boost::asio" in f[0][0]),
    ("verify preparation (headers, base64, SHA-256 input)", lambda f: "bw::benchling" in f[0][0] or "bw::core" in f[0][0]),
    ("our server, router and webhook code", lambda f: "bw::" in f[0][0]),
    ("other", lambda f: True),
]


def perf_breakdown(data: str, requests: int, cpu_us: float):
    """[(step, share of samples, us per request)] from `perf script` of a `perf record -g` file."""
    out = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], capture_output=True, text=True).stdout
    counts = {name: 0 for name, _ in STEPS}
    total = 0
    for chunk in out.split("\n\n"):
        frames = []
        for line in chunk.strip().splitlines():
            parts = line.strip().split(" ", 1)
            if len(parts) < 2:
                continue
            sym, _, dso = parts[1].rpartition(" (")
            frames.append((sym, dso))
        if not frames:
            continue
        total += 1
        counts[next(name for name, rule in STEPS if rule(frames))] += 1
    per_request = cpu_us  # the measured CPU per request, shared out by the samples
    return [(name, counts[name] / total, per_request * counts[name] / total) for name, _ in STEPS if counts[name]]


def perf_stat_counts(path: str):
    """{event: count} from `perf stat -x ,` output."""
    counts = {}
    with open(path) as f:
        for line in f:
            fields = line.strip().split(",")
            if len(fields) > 2 and fields[0].replace(".", "").isdigit():
                counts[fields[2]] = float(fields[0])
    return counts


def cpu_seconds(pid: int):
    """(user, system) CPU seconds of a process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def openssl_verify_per_second(cpu: int, seconds: int) -> float:
    out = subprocess.run(["taskset", "-c", str(cpu), "openssl", "speed", "-seconds", str(seconds), "ecdsap256"],
                         capture_output=True, text=True).stdout
    # "256 bits ecdsa (nistp256)   0.0000s   0.0001s  40000.0  12000.0": sign/s then verify/s
    line = next(l for l in out.splitlines() if "nistp256" in l and "ecdsa" in l)
    return float(line.split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--deliveries", type=int, default=200000)
    ap.add_argument("--log-levels", default="INFO",
                    help="the secret's log_level for each run, in turn (INFO is production's); e.g. INFO,WARNING")
    ap.add_argument("--count-mallocs", action="store_true",
                    help="count malloc() calls per request in the first run (a perf uprobe; slows that run)")
    ap.add_argument("--profile", action="store_true",
                    help="sample the first run with perf and print the CPU per request by step, and syscalls")
    ap.add_argument("--cycles", type=int, default=1,
                    help="loads per log level, each between two `openssl speed` references (the one after a load "
                         "is the one before the next): the figure is the median of the cycles' ratios, which "
                         "a shared VM's drift moves far less than one long load's")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    runs = []
    with MotoServer() as moto, FakeBenchling() as fake:
        world = World(moto)
        world.create_bucket()
        stack = world.create_stack("quilt-load")
        body = json.dumps({"version": "0", "message": {"type": "v2.app.installed", "deprecated": False}})
        for i, level in enumerate(args.log_levels.split(",")):
            runs.append(run_load(moto, fake, world, stack, body, level, args, profile=args.profile and i == 0,
                                 count_mallocs=args.count_mallocs and i == 0))

    for r in runs:
        crypto = r["crypto"]
        print(r["wrk"])
        print(f"[log level {r['level']}] verified /lifecycle webhooks/s (server on CPU 0): {r['rps']:.0f}")
        print(f"  ratio: {100 * r['rps'] / crypto:.1f} % of the crypto limit")
        if len(r["cycles"]) > 1:
            print("  cycles (ratio, CPU efficiency): " + ", ".join(
                f"{c['ratio']:.1f} / {c['efficiency']:.1f} %" for c in r["cycles"]))
            print(f"  median of the cycles: ratio {statistics.median(c['ratio'] for c in r['cycles']):.1f} %, "
                  f"CPU efficiency {statistics.median(c['efficiency'] for c in r['cycles']):.1f} %")
        print(f"  service CPU per request: user {r['user_us']:.1f} us + system {r['system_us']:.1f} us "
              f"= {r['user_us'] + r['system_us']:.1f} us (one verify: {1e6 / crypto:.1f} us)")
        print(f"  latency p50 {r['p50']}, p99 {r['p99']}; non-2xx: {r['non2xx']}; peak RSS {r['rss_mib']:.1f} MiB")
        per_cycle = args.deliveries // args.cycles
        print(f"  requests {r['total']}, distinct deliveries {per_cycle} per cycle: "
              + ("no replays" if all(c["requests"] <= per_cycle for c in r["cycles"]) else "REPLAYS: raise --deliveries"))
        print(f"  CPU efficiency: one verify / service CPU per request = "
              f"{100 * (1e6 / crypto) / (r['user_us'] + r['system_us']):.1f} %")
        if "mallocs" in r:
            print(f"  malloc() calls per request: {r['mallocs']:.1f}")
        if "steps" in r:
            print("  where the CPU per request goes (perf samples, charged to the syscall they serve):")
            for name, share, us in r["steps"]:
                print(f"    {name:<52} {100 * share:5.1f} %  {us:6.1f} us")
            print("  per request: " + ", ".join(f"{v / r['total']:.2f} {k}" for k, v in r["stat"].items()))
        print(f"  openssl speed ecdsap256 verify/s (CPU 0) before / after this load: "
              f"{r['crypto_before']:.0f} / {r['crypto_after']:.0f}")
    if len(runs) >= 2:
        base = runs[-1]["user_us"] + runs[-1]["system_us"]
        for r in runs[:-1]:
            cost = r["user_us"] + r["system_us"]
            print(f"CPU per request at {r['level']} vs {runs[-1]['level']}: {100 * (cost / base - 1):+.1f} %")


def run_load(moto, fake, world, stack, body, level, args, profile=False, count_mallocs=False):
    secret = f"bw/load-{level.lower()}"
    world.create_secret(secret, valid_secret(jwks_url=fake.jwks_url, log_level=level))
    create_work_queue(moto, stack, secret)
    env = base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret)
    svc = Service(env, args=["--workers", "0"])  # intake only: the figure is about webhooks
    svc.start()
    svc.wait_ready()
    pid = svc.proc.pid
    subprocess.run(["taskset", "-a", "-p", "-c", "0", str(pid)], check=True, capture_output=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as reqs:
        for _ in range(args.deliveries):
            h = fake.sign(body.encode())
            reqs.write(f"{h['webhook-id']} {h['webhook-timestamp']} {h['webhook-signature']}\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (body, reqs.name))

    peak_rss = [0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            with open(f"/proc/{pid}/status") as f:
                kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            peak_rss[0] = max(peak_rss[0], kib)
            time.sleep(0.1)

    threading.Thread(target=sample, daemon=True).start()
    perf = []
    scratch = tempfile.mkdtemp(prefix="bw-load-")  # perf's outputs
    if profile:
        events = ("task-clock,context-switches,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_recvmsg,"
                  "syscalls:sys_enter_sendmsg,syscalls:sys_enter_sendto,syscalls:sys_enter_futex,syscalls:sys_enter_write")
        perf = [subprocess.Popen(["perf", "record", "-q", "-g", "-F", "1999", "-o", os.path.join(scratch, "perf"), "-p", str(pid)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                subprocess.Popen(["perf", "stat", "-x", ",", "-o", os.path.join(scratch, "stat"), "-e", events, "-p", str(pid)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    if count_mallocs:
        libc = subprocess.run(["sh", "-c", f"grep -m1 -o '/[^ ]*libc.so.6' /proc/{pid}/maps"],
                              capture_output=True, text=True).stdout.strip()
        subprocess.run(["perf", "probe", "-q", "-x", libc, "malloc"], capture_output=True)
        perf.append(subprocess.Popen(["perf", "stat", "-x", ",", "-o", os.path.join(scratch, "mallocs"), "-e",
                                      "probe_libc:malloc", "-p", str(pid)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    references = [openssl_verify_per_second(0, 2 if args.cycles > 1 else 3)]
    cycles = []
    user = system = 0.0
    total = 0
    for cycle in range(args.cycles):
        cpu_before = cpu_seconds(pid)
        offset = cycle * (args.deliveries // args.cycles)
        wrk = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s",
                              "--latency", "-s", script.name, f"http://127.0.0.1:{svc.port}/lifecycle", "--",
                              str(offset)], capture_output=True, text=True).stdout
        cpu_after = cpu_seconds(pid)
        if cycle == args.cycles - 1:
            stop.set()
            for p in perf:
                p.send_signal(2)
                p.wait()
        references.append(openssl_verify_per_second(0, 2 if args.cycles > 1 else 3))
        count = int(re.search(r"(\d+) requests in", wrk).group(1))
        cpu = (cpu_after[0] - cpu_before[0]) + (cpu_after[1] - cpu_before[1])
        crypto = (references[-2] + references[-1]) / 2
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
        cycles.append({"ratio": 100 * rps / crypto, "rps": rps,
                       "efficiency": 100 * (1 / crypto) / (cpu / count), "requests": count})
        user += cpu_after[0] - cpu_before[0]
        system += cpu_after[1] - cpu_before[1]
        total += count
    crypto_before, crypto_after = references[0], references[-1]
    svc.stop()
    os.unlink(reqs.name)
    os.unlink(script.name)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
    result = {"level": level, "wrk": wrk, "crypto_before": crypto_before, "crypto_after": crypto_after,
              "crypto": statistics.mean(references), "cycles": cycles,
              "rps": statistics.mean(c["rps"] for c in cycles),
            "total": total, "user_us": 1e6 * user / total, "system_us": 1e6 * system / total,
            "p50": re.search(r"50%\s+(\S+)", wrk).group(1), "p99": re.search(r"99%\s+(\S+)", wrk).group(1),
            "non2xx": non2xx.group(1) if non2xx else 0, "rss_mib": peak_rss[0] / 1024}
    if count_mallocs:
        result["mallocs"] = perf_stat_counts(os.path.join(scratch, "mallocs")).get("probe_libc:malloc", 0) / total
    if profile:
        result["steps"] = perf_breakdown(os.path.join(scratch, "perf"), total, result["user_us"] + result["system_us"])
        result["stat"] = {k.replace("syscalls:sys_enter_", ""): v for k, v in perf_stat_counts(os.path.join(scratch, "stat")).items()
                          if k != "task-clock"}
    shutil.rmtree(scratch, ignore_errors=True)
    return result


if __name__ == "__main__":
    main()
