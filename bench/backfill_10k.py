"""`benchling-webhook backfill` listing and queuing 10,000 entries: wall time and peak RSS of the CLI.

The fake Benchling holds N entries (each shaped like tests/fixtures/benchling-events/entry.json, ~6 KB of
JSON), served 100 per page as Benchling does; moto stands in for SQS. The CLI runs once with no selector and
no rate limit (`--rate 0`), so it lists every page and queues every entry in batches of 10; its wall time
is measured around it, its CPU time comes from wait4(), its peak RSS from its VmHWM (see run_cli). The
fake's reply self-check against the OpenAPI schema is off (it would validate 60 MB of JSON in Python and
dominate the time); requests are still checked.

Reference, in the same run, against the same fake and moto: a minimal Python client doing the same work
(urllib listing every page with the same query, json.loads, then boto3 SendMessageBatch of the same number of
job-sized messages, 10 per call, into a fresh FIFO queue). The ratio CLI / reference compares machines.

Usage: python3 bench/backfill_10k.py [--entries 10000]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import BINARY, base_env  # noqa: E402
from harness.world import World, create_work_queue, valid_secret  # noqa: E402


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def queue_depth(sqs, url):
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def run_cli(env):
    """(wall seconds, peak RSS in KiB, CPU seconds, exit code, stdout, stderr) of the CLI.

    Peak RSS is the process's own VmHWM, read every 20 ms until it exits: wait4()'s ru_maxrss would count
    the pages of this Python process (which holds the fake's 10,000 entries) that the child had between fork
    and exec, and report hundreds of MiB the CLI never used."""
    import threading

    start = time.monotonic()
    p = subprocess.Popen([BINARY, "backfill", "--rate", "0"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    streams, peak = {}, [0]
    readers = [threading.Thread(target=lambda name, f: streams.__setitem__(name, f.read()), args=(n, f))
               for n, f in (("out", p.stdout), ("err", p.stderr))]

    def watch():
        while p.returncode is None:
            try:
                with open(f"/proc/{p.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak[0] = max(peak[0], int(line.split()[1]))
            except OSError:
                return
            time.sleep(0.02)

    readers.append(threading.Thread(target=watch))
    for t in readers:
        t.start()
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join()
    return elapsed, peak[0], usage.ru_utime + usage.ru_stime, p.returncode, streams["out"], streams["err"]


def reference(fake, token_url, sqs, queue_url, entries):
    """The same listing and queuing by a minimal Python client."""
    start = time.monotonic()
    with urllib.request.urlopen(urllib.request.Request(
            token_url, data=b"grant_type=client_credentials", headers={
                "Authorization": "Basic " + __import__("base64").b64encode(
                    f"{fake.client_id}:{fake.client_secret}".encode()).decode(),
                "Content-Type": "application/x-www-form-urlencoded"})) as r:
        token = json.loads(r.read())["access_token"]
    listed, next_token = [], ""
    while True:
        query = "pageSize=100&sort=modifiedAt%3Adesc&archiveReason=NOT_ARCHIVED"
        if next_token:
            query += "&nextToken=" + urllib.request.quote(next_token, safe="")
        req = urllib.request.Request(f"{fake.url}/api/v2/entries?{query}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(req) as r:
            page = json.loads(r.read())
        listed += [(e["id"], e["modifiedAt"]) for e in page["entries"]]
        next_token = page.get("nextToken") or ""
        if not next_token:
            break
    listed_s = time.monotonic() - start
    batch = []
    for i, (entry_id, modified) in enumerate(listed):
        body = json.dumps({"v": 1, "kind": "package", "route": "event", "webhook_id": f"backfill-{entry_id}-{modified}",
                           "received_at": "2026-12-03T16:00:00Z", "group_id": f"entry:{entry_id}",
                           "envelope": json.dumps({"version": "0", "channel": "backfill", "message": {
                               "type": "backfill", "resourceId": entry_id, "createdAt": "2026-12-03T16:00:00Z",
                               "backfill": {"entryModifiedAt": modified}}})})
        batch.append({"Id": f"m{i}", "MessageBody": body, "MessageGroupId": f"entry:{entry_id}",
                      "MessageDeduplicationId": f"backfill-{entry_id}-{modified}"})
        if len(batch) == 10 or i == len(listed) - 1:
            r = sqs.send_message_batch(QueueUrl=queue_url, Entries=batch)
            assert not r.get("Failed"), r["Failed"]
            batch = []
    assert len(listed) == entries, len(listed)
    return time.monotonic() - start, listed_s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=10000)
    args = ap.parse_args()
    moto = MotoServer().start()
    fake = FakeBenchling().start()
    try:
        fake.check_replies = False
        for i in range(args.entries):
            fake.add_entry(f"etr_{i:06d}", display_id=f"EXP{i:06d}",
                           modified_at=f"2025-{1 + i // 40000:02d}-01T00:00:00.{i:06d}+00:00")
        world = World(moto)
        world.create_bucket()
        secret = "bw/bench-backfill"
        world.create_secret(secret, valid_secret(jwks_url=fake.jwks_url, api_url=fake.url))
        stack = world.create_stack("quilt-bench-backfill")
        queue_url = create_work_queue(moto, stack, secret)
        sqs = moto.client("sqs")
        env = base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret)

        elapsed, peak_kib, cpu_s, rc, out, err = run_cli(env)
        assert rc == 0, (rc, out[-2000:], err[-2000:])
        depth = queue_depth(sqs, queue_url)
        assert depth == args.entries, depth
        pages = fake.listing_pages

        ref_url = sqs.create_queue(QueueName="bench-reference.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        ref_s, ref_list_s = reference(fake, fake.url + "/api/v2/token", sqs, ref_url, args.entries)
        result = {
            "entries": args.entries, "pages": pages, "queued": depth,
            "cli_wall_s": round(elapsed, 2), "cli_peak_rss_mib": round(peak_kib / 1024, 1),
            "cli_cpu_s": round(cpu_s, 2),
            "reference_s": round(ref_s, 2), "reference_listing_s": round(ref_list_s, 2),
            "ratio": round(elapsed / ref_s, 2),
            "machine": {"nproc": os.cpu_count(), "cpu": cpu_model()},
            "summary": out.strip().splitlines()[-2] if out.strip() else "",
        }
        print(json.dumps(result, indent=1))
    finally:
        fake.stop()
        moto.stop()


if __name__ == "__main__":
    main()
