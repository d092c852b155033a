"""Canvas clicks while more long exports run than there are export workers: how long until the PATCH?

The service runs at its production defaults (log level INFO, --canvas-workers 2) with --workers 2, and
Benchling (the fake) holds more exports RUNNING than that, so every export worker is busy for the whole run.
Users then click "Browse files" on canvases of packaged entries, open loop (click i is due at start + i /
rate). Measured: from when a click was due to when the fake Benchling received its canvas PATCH. The fake
answers at once, so the figure is what the service adds on top of Benchling's own latency (issue 12 target:
p99 <= 2 s). moto (SQS long polls, S3) is in the path, as AWS would be.

Usage: python3 bench/canvas_click.py [--clicks 100] [--rate 2] [--held 6] [--workers 2] [--canvases 20]
"""
import argparse
import json
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
sys.path.insert(0, os.path.dirname(__file__))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.quilt import write_package  # noqa: E402
from harness.service import Service, base_env  # noqa: E402
from harness.world import (World, create_athena_workgroup, create_work_queue, service_workgroup_name,  # noqa: E402
                           valid_secret)
from mixed_load import entry_event, metric, percentile, scrape  # noqa: E402


def click(fake, canvas_id, entry_id):
    return json.dumps({"version": "0", "baseURL": fake.url, "channel": "app_signals",
                       "message": {"type": "v2.canvas.userInteracted", "canvasId": canvas_id,
                                   "resourceId": entry_id, "featureId": "quilt_entry",
                                   "buttonId": f"browse-files-{entry_id}-p0-s15", "userId": "ent_bench"}}).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clicks", type=int, default=100)
    ap.add_argument("--rate", type=float, default=2.0, help="clicks per second")
    ap.add_argument("--held", type=int, default=6, help="exports Benchling keeps RUNNING all along")
    ap.add_argument("--workers", type=int, default=2, help="service --workers (export workers)")
    ap.add_argument("--canvases", type=int, default=20, help="distinct canvases (FIFO groups) clicked")
    args = ap.parse_args()

    with MotoServer() as moto, FakeBenchling(polls_before_done=0) as fake:
        world = World(moto)
        world.create_bucket("user-bucket")
        secret = "bw/clicks"
        world.create_secret(secret, valid_secret(jwks_url=fake.jwks_url, api_url=fake.url))  # log_level INFO
        stack = world.create_stack("quilt-clicks")
        create_work_queue(moto, stack, secret)
        create_athena_workgroup(moto, service_workgroup_name(stack, secret))
        s3 = moto.client("s3")
        canvases = []
        for i in range(args.canvases):
            entry_id, display_id = f"etr_click{i}", f"EXP{5000 + i}"
            fake.add_entry(entry_id, display_id=display_id)
            fake.add_canvas(f"cnvs_click{i}", resource_id=entry_id)
            write_package(s3, "user-bucket", f"benchling/{display_id}",
                          [(f"data/file{k}.csv", b"a,b\n1,2\n") for k in range(20)])
            canvases.append((f"cnvs_click{i}", entry_id))
        held = [f"etr_held{i}" for i in range(args.held)]
        for i, entry_id in enumerate(held):
            fake.add_entry(entry_id, display_id=f"EXP{6000 + i}")
            fake.set_export(entry_id, outcome="never")

        svc = Service(base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret),
                      args=["--workers", str(args.workers)]).start()
        try:
            svc.wait_ready()
            for n, entry_id in enumerate(held):
                body = entry_event(fake, entry_id, n)
                svc.request("POST", "/event", body=body, headers=fake.sign(body))
            fake.wait_until(lambda f: len({t["entry_id"] for t in f.tasks.values()}) >= args.workers,
                            timeout=60)
            bodies = [click(fake, *canvases[i % len(canvases)]) for i in range(args.clicks)]
            signed = [fake.sign(b, webhook_id="msg_" + uuid.uuid4().hex) for b in bodies]
            patches_before = len(fake.canvas_patches)
            start = time.monotonic() + 0.5
            due = []
            for i, (body, headers) in enumerate(zip(bodies, signed)):
                t = start + i / args.rate
                time.sleep(max(0.0, t - time.monotonic()))
                status, _, _ = svc.request("POST", "/canvas", body=body, headers=headers)
                assert status == 202, status
                due.append(t)
            fake.wait_until(lambda f: len(f.canvas_patches) - patches_before >= args.clicks, timeout=120)
            # Each canvas is one FIFO group, so its clicks are PATCHed in order: match them per canvas.
            file_views = sum(1 for _, body in fake.canvas_patches[patches_before:] if "file0.csv" in json.dumps(body))
            arrivals = {}
            for (cid, _), at in list(zip(fake.canvas_patches, fake.canvas_patch_times))[patches_before:]:
                arrivals.setdefault(cid, []).append(at)
            latencies = []
            for i, t in enumerate(due):
                cid = canvases[i % len(canvases)][0]
                latencies.append(arrivals[cid].pop(0) - t)
            latencies.sort()
            m = scrape(svc.port)
            busy = len({t["entry_id"] for t in list(fake.tasks.values()) if t["outcome"] == "never"})
            exports_done = metric(m, "jobs_total", kind="package")
        finally:
            svc.stop()
    print(json.dumps({
        "clicks": args.clicks, "rate_per_s": args.rate, "export_workers": args.workers, "held_exports": args.held,
        "exports_running_at_end": busy, "patches_listing_the_files": file_views, "package_jobs_finished": exports_done,
        "click_to_patch_ms": {"p50": round(1000 * percentile(latencies, 50)),
                              "p90": round(1000 * percentile(latencies, 90)),
                              "p99": round(1000 * percentile(latencies, 99)),
                              "max": round(1000 * latencies[-1])},
    }, indent=1))


if __name__ == "__main__":
    main()
