"""Mixed webhook traffic held for a while, with the workers on: is the service steady and bounded?

Verified /lifecycle deliveries plus verified /event `v2.entry.updated.fields` deliveries for a handful of
entries, sent at a fixed rate (open loop: request i is due at start + i / rate, whatever the answers before
it). Every request is a distinct delivery signed by the fake Benchling (Python `cryptography`), signed
before the clock starts. Each entry event becomes a real packaging job in the work queue (moto): a worker
exports the entry from the fake Benchling (a small ZIP), writes it to moto's S3 and sends the packager
message. Nothing is pinned: the service, moto, the fake Benchling and this driver share the machine.

Latency is measured from when a request was due, not from when it went out, so a driver or service
falling behind shows up in it (no coordinated omission). The service's RSS is read from /proc every second.
Prints one JSON summary at the end: requests, statuses, p50/p99, jobs completed, RSS (peak, first and last
10 s), the achieved rate and how late the driver was.

Usage: python3 bench/mixed_load.py [--seconds 60] [--rate 300] [--entry-every 30] [--entries 5]
                                   [--threads 16] [--workers N]
"""
import argparse
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import Service, base_env  # noqa: E402
from harness.world import World, create_work_queue, valid_secret  # noqa: E402

LIFECYCLE = json.dumps({"version": "0", "message": {"type": "v2.app.installed", "deprecated": False}}).encode()


def entry_event(fake, entry_id, n):
    return json.dumps({"version": "0", "baseURL": fake.url, "channel": "events",
                       "message": {"type": "v2.entry.updated.fields", "resourceId": entry_id,
                                   "id": f"evt_mixed{n}", "updates": ["field_1"],
                                   "createdAt": "2026-11-26T10:00:00.000000+00:00"}}).encode()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def scrape(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(benchling_webhook_\w+)(\{[^}]*\})? (\S+)$", line)
        if m:
            out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def metric(samples, name, **labels):
    wanted = {f'{k}="{v}"' for k, v in labels.items()}
    total = 0.0
    for key, v in samples.items():
        series, _, rest = key.partition("{")
        if series != "benchling_webhook_" + name:
            continue
        have = set(rest.rstrip("}").split(",")) if rest else set()
        if wanted <= have:
            total += v
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--rate", type=float, default=300, help="requests per second, both kinds together")
    ap.add_argument("--entry-every", type=int, default=30, help="every Nth request is an entry event")
    ap.add_argument("--entries", type=int, default=5, help="distinct entries (FIFO groups) the events touch")
    ap.add_argument("--threads", type=int, default=16, help="sending threads, one keep-alive connection each")
    ap.add_argument("--workers", type=int, default=None, help="service --workers (default: one per core)")
    ap.add_argument("--drain", type=float, default=120, help="seconds to wait for queued jobs after the load")
    args = ap.parse_args()

    total = int(args.seconds * args.rate)
    with MotoServer() as moto, FakeBenchling(polls_before_done=0) as fake:
        world = World(moto)
        world.create_bucket()
        world.create_secret("bw/mixed", valid_secret(jwks_url=fake.jwks_url, api_url=fake.url, log_level="WARNING"))
        stack = world.create_stack("quilt-mixed")
        create_work_queue(moto, stack, "bw/mixed")
        entries = [f"etr_mixed{i}" for i in range(args.entries)]
        for i, entry_id in enumerate(entries):
            fake.add_entry(entry_id, display_id=f"EXP{1000 + i}", name=f"Mixed {i}",
                           export_zip=[("data/a.csv", b"a,b\n1,2\n" * 64), ("notes/readme.txt", b"x" * 2048)])

        # Every request pre-signed: (path, body, headers, kind).
        t_sign = time.monotonic()
        requests = []
        for i in range(total):
            if i % args.entry_every == args.entry_every - 1:
                body = entry_event(fake, entries[(i // args.entry_every) % len(entries)], i)
                requests.append(("/event", body, fake.sign(body, webhook_id="msg_" + uuid.uuid4().hex), "entry"))
            else:
                requests.append(("/lifecycle", LIFECYCLE, fake.sign(LIFECYCLE), "lifecycle"))
        sign_s = time.monotonic() - t_sign

        svc_args = [] if args.workers is None else ["--workers", str(args.workers)]
        svc = Service(base_env(moto.url, QuiltStackARN=stack, BenchlingSecret="bw/mixed"), args=svc_args).start()
        try:
            svc.wait_ready()
            pid = svc.proc.pid
            results = [None] * total  # (kind, status or "error: ...", latency from due time, lateness)
            rss = []  # (seconds since start, KiB)
            progress = []  # (seconds since start, jobs done, receive lag sum, receive lag count), from /metrics
            stop = threading.Event()
            start = time.monotonic() + 0.5

            def sender(k):
                conn = http.client.HTTPConnection("127.0.0.1", svc.port, timeout=30)
                for i in range(k, total, args.threads):
                    due = start + i / args.rate
                    now = time.monotonic()
                    if due > now:
                        time.sleep(due - now)
                    sent = time.monotonic()
                    path, body, headers, kind = requests[i]
                    try:
                        conn.request("POST", path, body=body, headers=headers)
                        resp = conn.getresponse()
                        resp.read()
                        status = resp.status
                    except (OSError, http.client.HTTPException) as e:
                        status = f"error: {type(e).__name__}"
                        conn.close()
                        conn = http.client.HTTPConnection("127.0.0.1", svc.port, timeout=30)
                    done = time.monotonic()
                    results[i] = (kind, status, done - due, sent - due)
                conn.close()

            def sampler():
                while not stop.is_set():
                    t = time.monotonic() - start
                    rss.append((t, rss_kib(pid)))
                    m = scrape(svc.port)
                    progress.append((t, metric(m, "jobs_total", kind="package", outcome="done"),
                                     metric(m, "job_receive_lag_seconds_sum", queue="work"),
                                     metric(m, "job_receive_lag_seconds_count", queue="work")))
                    stop.wait(1.0)

            sampling = threading.Thread(target=sampler, daemon=True)
            threads = [threading.Thread(target=sender, args=(k,)) for k in range(args.threads)]
            cpu0 = os.times()
            with open(f"/proc/{pid}/stat") as f:
                svc_cpu0 = [int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13]]
            sampling.start()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - start
            with open(f"/proc/{pid}/stat") as f:
                svc_cpu1 = [int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13]]
            at_end = scrape(svc.port)
            # RSS keeps being sampled while the queue drains, but "last 10 s" is of the load itself.
            load_rss = list(rss)
            load_progress = list(progress)
            deadline = time.monotonic() + args.drain
            entries_sent = sum(1 for r in results if r and r[0] == "entry" and r[1] == 200)
            drained = at_end
            while time.monotonic() < deadline:
                drained = scrape(svc.port)
                if metric(drained, "jobs_total", kind="package") >= entries_sent:
                    break
                time.sleep(0.5)
            drain_s = time.monotonic() - (start + elapsed)
            stop.set()
            sampling.join()
        finally:
            svc.stop()

    tick = os.sysconf("SC_CLK_TCK")
    statuses, latencies, by_kind, late = {}, [], {}, []
    for kind, status, latency, lateness in (r for r in results if r):
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        latencies.append(latency)
        by_kind.setdefault(kind, []).append(latency)
        late.append(lateness)
    latencies.sort()
    late.sort()
    first10 = [kib for t, kib in load_rss if t < 10]
    last10 = [kib for t, kib in load_rss if t >= elapsed - 10]
    mib = lambda kib: round(kib / 1024, 1)  # noqa: E731
    # Per 10 s of load: mean RSS, jobs finished, mean receive lag of the jobs first received in it.
    windows = []
    for w0 in range(0, int(elapsed + 0.5), 10):
        in_w = [kib for t, kib in load_rss if w0 <= t < w0 + 10]
        p = [x for x in load_progress if w0 - 1 < x[0] < w0 + 10]
        window = {"from_s": w0, "rss_mib": mib(statistics.mean(in_w)) if in_w else None}
        if len(p) >= 2:
            lagged = p[-1][3] - p[0][3]
            window["jobs_done"] = p[-1][1] - p[0][1]
            window["mean_receive_lag_s"] = round((p[-1][2] - p[0][2]) / lagged, 3) if lagged else None
        windows.append(window)
    summary = {
        "seconds": round(elapsed, 1),
        "target_rate": args.rate,
        "achieved_rate": round(len(latencies) / elapsed, 1),
        "requests": len(latencies),
        "lifecycle_requests": len(by_kind.get("lifecycle", [])),
        "entry_event_requests": len(by_kind.get("entry", [])),
        "status_counts": statuses,
        "non_2xx": {s: n for s, n in statuses.items() if not s.startswith("2")},
        "5xx": sum(n for s, n in statuses.items() if s.startswith("5")),
        "latency_ms": {"p50": round(1000 * percentile(latencies, 50), 2),
                       "p99": round(1000 * percentile(latencies, 99), 2),
                       "max": round(1000 * latencies[-1], 2)},
        "latency_ms_by_kind": {k: {"p50": round(1000 * percentile(sorted(v), 50), 2),
                                   "p99": round(1000 * percentile(sorted(v), 99), 2)} for k, v in by_kind.items()},
        "driver_lateness_ms": {"p50": round(1000 * percentile(late, 50), 2),
                               "p99": round(1000 * percentile(late, 99), 2)},
        "jobs": {
            "enqueued": metric(at_end, "jobs_enqueued_total", kind="package"),
            "done_during_load": metric(at_end, "jobs_total", kind="package", outcome="done"),
            "done_after_drain": metric(drained, "jobs_total", kind="package", outcome="done"),
            "retried": metric(drained, "jobs_total", kind="package", outcome="retry"),
            "dead_lettered": metric(drained, "jobs_total", kind="package", outcome="dead_letter"),
            "drain_seconds": round(drain_s, 1),
            "mean_job_seconds": round(metric(drained, "job_duration_seconds_sum", kind="package") /
                                      max(1, metric(drained, "job_duration_seconds_count", kind="package")), 3),
            "mean_receive_lag_seconds": round(metric(drained, "job_receive_lag_seconds_sum", queue="work") /
                                              max(1, metric(drained, "job_receive_lag_seconds_count",
                                                            queue="work")), 3),
        },
        "verification_failures": metric(at_end, "webhook_verification_failures_total"),
        "rss_mib": {"peak": mib(max(k for _, k in load_rss)),
                    "first_10s_mean": mib(statistics.mean(first10)), "last_10s_mean": mib(statistics.mean(last10)),
                    "first_10s_max": mib(max(first10)), "last_10s_max": mib(max(last10)),
                    "samples": len(load_rss)},
        "per_10s": windows,
        "service_cpu_s": {"user": round((svc_cpu1[0] - svc_cpu0[0]) / tick, 1),
                          "system": round((svc_cpu1[1] - svc_cpu0[1]) / tick, 1)},
        "driver_cpu_s": round(sum(os.times()[:2]) - sum(cpu0[:2]), 1),
        "presign_seconds": round(sign_s, 1),
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
