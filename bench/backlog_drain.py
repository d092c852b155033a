"""A burst of entry events drained by 1 and by 4 service processes sharing one work queue (1 vs 4 ECS tasks).

Each process runs the template's default --workers-per-task (4). Every entry is its own FIFO group, and
Benchling (the fake) answers each export's first status poll with RUNNING, so a job waits on Benchling for
the service's first poll interval (1 s) like a real export, rather than on CPU. The burst is queued first
through an intake-only process (signed beforehand; a 503 is retried, as Benchling would); then the clock
starts with the worker processes and runs until every package job has finished
(jobs_total{kind="package",outcome="done"} summed over the processes' /metrics). moto stands in
for SQS and S3 and shares the machine with the services, as does the fake Benchling.

Usage: python3 bench/backlog_drain.py [--events 1000] [--workers 4] [--processes 1,4]
"""
import argparse
import json
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
sys.path.insert(0, os.path.dirname(__file__))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import Service, base_env  # noqa: E402
from harness.world import World, create_work_queue, valid_secret  # noqa: E402
from mixed_load import entry_event, metric, rss_kib, scrape  # noqa: E402


def drain(moto, fake, world, stack, processes, events, workers):
    secret = f"bw/drain{processes}"
    world.create_secret(secret, valid_secret(jwks_url=fake.jwks_url, api_url=fake.url))  # log_level INFO
    create_work_queue(moto, stack, secret)
    entries = [f"etr_d{processes}_{i}" for i in range(events)]
    for i, entry_id in enumerate(entries):
        fake.add_entry(entry_id, display_id=f"D{processes}X{i:05d}")
    bodies = [entry_event(fake, e, i) for i, e in enumerate(entries)]
    signed = [(b, fake.sign(b, webhook_id="msg_" + uuid.uuid4().hex)) for b in bodies]
    env = base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret)
    # The burst is queued first, through an intake-only process (--workers 0), as webhooks arriving while
    # the tasks are busy would be; a 503 is retried, as Benchling retries it.
    retried = 0
    with Service(env, args=["--workers", "0"]) as intake:
        intake.wait_ready()
        lock = threading.Lock()

        def post(part):
            nonlocal retried
            for body, headers in part:
                while True:
                    status, _, _ = intake.request("POST", "/event", body=body, headers=headers, timeout=30)
                    if status == 200:
                        break
                    assert status == 503, status
                    with lock:
                        retried += 1
                    time.sleep(0.2)
        senders = [threading.Thread(target=post, args=(signed[k::8],)) for k in range(8)]
        t0 = time.monotonic()
        for t in senders:
            t.start()
        for t in senders:
            t.join()
        accepted_s = time.monotonic() - t0
    # Then the clock: N worker processes start on the full queue, until every package job is done.
    start = time.monotonic()
    services = [Service(env, args=["--workers", str(workers)]).start() for _ in range(processes)]
    try:
        peak_rss = 0
        done = 0
        while done < events and time.monotonic() - start < 1800:
            time.sleep(0.5)
            done = sum(metric(scrape(s.port), "jobs_total", kind="package", outcome="done") for s in services)
            peak_rss = max(peak_rss, sum(rss_kib(s.proc.pid) for s in services))
        elapsed = time.monotonic() - start
        per_process = [metric(scrape(s.port), "jobs_total", kind="package", outcome="done") for s in services]
    finally:
        for s in services:
            s.stop()
    return {"processes": processes, "workers_each": workers, "events": events, "jobs_done": done,
            "queued_in_s": round(accepted_s, 1), "intake_503_retried": retried, "drain_s": round(elapsed, 1),
            "jobs_per_s": round(done / elapsed, 2), "jobs_per_process": per_process,
            "peak_rss_mib_all_processes": round(peak_rss / 1024, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=4, help="--workers of each process (template default)")
    ap.add_argument("--processes", default="1,4", help="comma-separated process counts, run in turn")
    args = ap.parse_args()
    results = []
    with MotoServer() as moto, FakeBenchling(polls_before_done=1) as fake:
        world = World(moto)
        world.create_bucket()
        stack = world.create_stack("quilt-drain")
        for n in (int(x) for x in args.processes.split(",")):
            results.append(drain(moto, fake, world, stack, n, args.events, args.workers))
            print(json.dumps(results[-1]), flush=True)
    if len(results) >= 2:
        print(json.dumps({"speedup": round(results[0]["drain_s"] / results[-1]["drain_s"], 2)}))


if __name__ == "__main__":
    main()
