"""Entry export of a 1 GiB ZIP with a few thousand members: wall time and the service's peak RSS.

The fake Benchling serves the ZIP from disk; the service downloads it to a temporary file, checks it,
and streams every member to moto's S3 (multipart above 8 MiB), then writes the metadata and messages the
packager. Reference ("moving the bytes once"), measured in the same run: downloading the ZIP from the fake
(curl to a file) plus uploading it to moto as one object (boto3, one thread).
Usage: PYTHONPATH=tests python3 bench/export_1gib.py [--members 4096] [--member-kib 256]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from harness.fake_benchling import FakeBenchling  # noqa: E402
from harness.moto import MotoServer  # noqa: E402
from harness.service import Service, base_env  # noqa: E402
from harness.world import World  # noqa: E402


def make_zip(path, members, member_bytes):
    block = os.urandom(member_bytes)  # incompressible, so the ZIP really is ~members * member_bytes
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for i in range(members):
            data = block[i % 251:] + block[:i % 251]  # distinct contents, same size
            z.writestr(f"run-{i // 256:03d}/well-{i:05d}.bin", data)


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=4096)
    ap.add_argument("--member-kib", type=int, default=256)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        zpath = os.path.join(tmp, "export.zip")
        t0 = time.perf_counter()
        make_zip(zpath, args.members, args.member_kib * 1024)
        size = os.path.getsize(zpath)
        print(f"ZIP: {args.members} members, {size / 2**30:.2f} GiB (made in {time.perf_counter() - t0:.1f} s)")

        with MotoServer() as moto, FakeBenchling() as fake:
            stack, secret = World(moto).default(fake)
            fake.add_entry("etr_big", display_id="EXPBIG", name="Big", export_zip_path=zpath)

            env = base_env(moto.url, QuiltStackARN=stack, BenchlingSecret=secret)
            with Service(env, args=["--workers", "1"]) as svc:
                svc.wait_ready()
                event = json.dumps({"message": {"type": "v2.entry.created", "resourceId": "etr_big"}}).encode()
                t0 = time.perf_counter()
                status, _, _ = svc.request("POST", "/event", body=event, headers=fake.sign(event))
                assert status == 200
                sqs = moto.client("sqs")
                url = sqs.get_queue_url(QueueName="quilt-packager")["QueueUrl"]
                msgs = []
                while not msgs:
                    msgs = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
                    if time.perf_counter() - t0 > 3600:
                        sys.exit("no packager message within an hour")
                wall = time.perf_counter() - t0
                peak = vm_hwm_kib(svc.proc.pid)
            s3 = moto.client("s3")
            # Reference: the bytes moved once (download, then one upload), same machine, same run.
            t0 = time.perf_counter()
            task_id = next(iter(fake.tasks))  # the export the service ran: the same bytes, the same server
            subprocess.run(["curl", "-sf", "-o", os.path.join(tmp, "copy.zip"), f"{fake.url}/downloads/{task_id}.zip"],
                           check=True)
            dl = time.perf_counter() - t0
            import boto3.s3.transfer as tr
            t0 = time.perf_counter()
            s3.upload_file(zpath, "user-bucket", "reference/export.zip",
                           Config=tr.TransferConfig(max_concurrency=1, use_threads=False))
            ul = time.perf_counter() - t0
            s3.delete_object(Bucket="user-bucket", Key="reference/export.zip")

            n = s3.list_objects_v2(Bucket="user-bucket", Prefix="benchling/EXPBIG/", MaxKeys=10)["KeyCount"]
    print(f"reference download (curl) {dl:.1f} s + upload (boto3, one object) {ul:.1f} s = {dl + ul:.1f} s")
    print(f"service: event -> packager message {wall:.1f} s ({wall / (dl + ul):.2f}x the reference)")
    print(f"service peak RSS (VmHWM): {peak / 1024:.1f} MiB")
    print(f"objects listed under the prefix (first page): {n}")


if __name__ == "__main__":
    main()
