"""The main job end to end: a signed entry event → Benchling export (fake) → S3 objects and the Quilt
packager message (moto), run by the service's own workers; plus the failure paths."""
import json
import os
import signal
import time
import unittest
import zipfile
import io

from harness.fake_benchling import TASK
from harness.faulty_proxy import FaultyProxy
from harness.module_world import ModuleWorld
from harness.service import Service, base_env
from harness.world import create_work_queue, valid_secret, work_queue_name

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
MEMBERS = [
    ("data/", b""),
    ("data/plate 1/results.csv", b"well,value\nA1,0.5\n"),
    ("images/micrograph-\u03b1.png", PNG),
    ("notes/r\u00e9sum\u00e9 final.txt", "caf\u00e9\n".encode()),
    ("protocol.html", b"<html><body>protocol</body></html>"),
]


def setUpModule():
    global BASE, MOTO, FAKE, WORLD, STACK, SQS
    BASE = ModuleWorld("quilt-pack")
    MOTO, FAKE, WORLD, STACK, SQS = BASE.moto, BASE.fake, BASE.world, BASE.stack, BASE.sqs


def tearDownModule():
    BASE.stop(minimum=10)


def new_service(secret_name, extra_args=(), s3_endpoint=None, stack=None, **secret_fields):
    stack = stack or STACK
    WORLD.create_secret(secret_name, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url, **secret_fields))
    create_work_queue(MOTO, stack, secret_name)
    env = base_env(MOTO.url, QuiltStackARN=stack, BenchlingSecret=secret_name,
                   AWS_ENDPOINT_URL_S3=s3_endpoint)
    svc = Service(env, args=["--workers", "2", *extra_args]).start()
    svc.wait_ready()
    return svc


def post_event(svc, entry_id, event_type="v2.entry.created"):
    BASE.accept_event(svc, entry_id, event_type)


def packager_messages(package_name, expect=1, timeout=30):
    return WORLD.packager_messages(package_name, expect, timeout)


def objects(prefix):
    return WORLD.objects(prefix)


def get(key):
    r = MOTO.client("s3").get_object(Bucket="user-bucket", Key=key)
    return r["Body"].read(), r["ContentType"]


def wait_for_log(svc, text, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in svc.output():
            return True
        time.sleep(0.1)
    return False


class PackagerQueueByUrl(unittest.TestCase):
    """Stacks that export the packager queue only as a URL (no PackagerQueueArn), as current Quilt stacks
    do: QueueUrl as CloudFormation gives it (the AWS host), and PackagerQueueUrl in the custom-endpoint
    form (moto's host, no region in it: the stack's region applies)."""

    def package_with(self, stack_name, outputs, secret, entry_id, display_id):
        stack = WORLD.create_stack(stack_name, outputs=outputs)
        svc = new_service(secret, stack=stack)
        try:
            FAKE.add_entry(entry_id, display_id=display_id, export_zip=MEMBERS[1:2])
            post_event(svc, entry_id)
            [raw] = packager_messages(f"benchling/{display_id}")
            self.assertEqual(json.loads(raw)["source_prefix"], f"s3://user-bucket/benchling/{display_id}/")
            status, config, _ = svc.get("/config")
            self.assertEqual(status, 200)
            return config["quilt"]
        finally:
            svc.stop()

    def test_queue_url_only_packages_end_to_end(self):
        quilt = self.package_with("quilt-pack-queueurl", {
            "UserAthenaDatabaseName": "db", "QueueUrl": {"Ref": "PackagerQueue"}, "QuiltWebHost": "q.example.com"},
            "bw/pack-queueurl", "etr_qurl1", "EXP0091")
        self.assertEqual(quilt["sources"]["queue"], "QueueUrl")
        self.assertEqual(quilt["queue_arn"], "arn:aws:sqs:us-east-1:***9012:quilt-packager")  # derived
        self.assertEqual(quilt["queue_url"], "https://sqs.us-east-1.amazonaws.com/***9012/quilt-packager")

    def test_custom_endpoint_packager_queue_url_packages_end_to_end(self):
        url = f"{MOTO.url}/123456789012/quilt-packager"
        quilt = self.package_with("quilt-pack-motourl", {
            "UserAthenaDatabaseName": "db", "PackagerQueueUrl": url, "QuiltWebHost": "q.example.com"},
            "bw/pack-motourl", "etr_qurl2", "EXP0092")
        self.assertEqual(quilt["sources"]["queue"], "PackagerQueueUrl")
        self.assertEqual(quilt["queue_arn"], "arn:aws:sqs:us-east-1:***9012:quilt-packager")


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = new_service("bw/pack")

    @classmethod
    def tearDownClass(cls):
        cls.svc.stop()

    def test_entry_created_becomes_objects_metadata_and_one_packager_message(self):
        FAKE.add_entry("etr_e2e1", display_id="EXP0001", name="Growth curves", export_zip=MEMBERS)
        post_event(self.svc, "etr_e2e1")
        [raw] = packager_messages("benchling/EXP0001")
        self.assertEqual(json.loads(raw), {
            "source_prefix": "s3://user-bucket/benchling/EXP0001/",
            "registry": "user-bucket",
            "package_name": "benchling/EXP0001",
            "metadata_uri": "entry.json",
            "commit_message": "Benchling v2.entry.created at 2026-11-26T10:00:00.000000+00:00",
        })
        self.assertEqual(list(json.loads(raw)), ["source_prefix", "registry", "package_name", "metadata_uri",
                                                 "commit_message"])
        keys = objects("benchling/EXP0001/")
        files = {name: data for name, data in MEMBERS if not name.endswith("/")}
        expected = {f"benchling/EXP0001/{n}" for n in files} | {
            f"benchling/EXP0001/{n}" for n in ("entry.json", "entry_data.json", "links.json", "input.json",
                                               "README.md")}
        self.assertEqual(set(keys), expected)
        for name, data in files.items():
            body, _ = get(f"benchling/EXP0001/{name}")
            self.assertEqual(body, data, name)
        self.assertEqual(get("benchling/EXP0001/data/plate 1/results.csv")[1], "text/csv")
        self.assertEqual(get("benchling/EXP0001/images/micrograph-\u03b1.png")[1], "image/png")

        entry = json.loads(get("benchling/EXP0001/entry.json")[0])
        self.assertEqual(entry["package_name"], "benchling/EXP0001")
        self.assertEqual(entry["entry_id"], "etr_e2e1")
        self.assertEqual(entry["display_id"], "EXP0001")
        self.assertEqual(entry["name"], "Growth curves")
        self.assertEqual(entry["webhook_data"]["resourceId"], "etr_e2e1")
        self.assertEqual(entry["export_timestamp"], "2026-11-26T10:00:00.000000+00:00")
        self.assertEqual({k: v["size"] for k, v in entry["files"].items()}, {n: len(d) for n, d in files.items()})
        self.assertEqual(entry["files"]["notes/r\u00e9sum\u00e9 final.txt"]["s3_key"],
                         "benchling/EXP0001/notes/r\u00e9sum\u00e9 final.txt")
        data = json.loads(get("benchling/EXP0001/entry_data.json")[0])
        self.assertEqual((data["displayId"], data["display_id"]), ("EXP0001", "EXP0001"))
        inp = json.loads(get("benchling/EXP0001/input.json")[0])
        self.assertEqual(inp["source"], "benchling_webhook")
        self.assertEqual(inp["package_metadata"], {"name": "benchling/EXP0001", "registry": "user-bucket",
                                                   "total_files": len(files)})
        readme = get("benchling/EXP0001/README.md")[0].decode()
        self.assertTrue(readme.startswith("# EXP0001 - Growth curves\n"))
        self.assertIn("- `data/plate 1/results.csv` (18 bytes)", readme)
        # The job is done: its message was deleted from the work queue.
        self.assertTrue(wait_for_log(self.svc, '"msg":"job done"'))
        url = SQS.get_queue_url(QueueName=work_queue_name(STACK, "bw/pack"))["QueueUrl"]
        attrs = SQS.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((attrs["ApproximateNumberOfMessages"], attrs["ApproximateNumberOfMessagesNotVisible"]),
                         ("0", "0"))

    def test_rerun_writes_the_same_objects_and_one_message_per_run(self):
        FAKE.add_entry("etr_rerun", display_id="EXP0002", name="Rerun", export_zip=MEMBERS[:3])
        post_event(self.svc, "etr_rerun")
        self.assertEqual(len(packager_messages("benchling/EXP0002")), 1)
        first = objects("benchling/EXP0002/")
        post_event(self.svc, "etr_rerun", "v2.entry.updated.fields")
        [second_msg] = packager_messages("benchling/EXP0002")
        self.assertEqual(json.loads(second_msg)["commit_message"],
                         "Benchling v2.entry.updated.fields at 2026-11-26T10:00:00.000000+00:00")
        second = objects("benchling/EXP0002/")
        self.assertEqual(set(second), set(first))  # the same keys, overwritten: no stray objects
        for key in first:
            if not key.endswith((".json", ".md")):  # metadata carries the newer event; files are the same
                self.assertEqual(second[key], first[key], key)

    def test_benchling_429_then_success(self):
        FAKE.add_entry("etr_429", display_id="EXP0003", export_zip=MEMBERS[1:2])
        FAKE.fail_next("/api/v2/entries/etr_429", 429, times=1, retry_after=1)
        post_event(self.svc, "etr_429")
        self.assertEqual(len(packager_messages("benchling/EXP0003")), 1)
        self.assertEqual(sum(1 for r in FAKE.requests if r["path"] == "/api/v2/entries/etr_429"), 2)

    def test_benchling_401_then_success_after_refresh(self):
        FAKE.add_entry("etr_401", display_id="EXP0004", export_zip=MEMBERS[1:2])
        tokens = FAKE.tokens_issued
        FAKE.expire_tokens()
        post_event(self.svc, "etr_401")
        self.assertEqual(len(packager_messages("benchling/EXP0004")), 1)
        self.assertGreater(FAKE.tokens_issued, tokens)

    def test_export_failed_sends_nothing_and_says_why(self):
        FAKE.add_entry("etr_fail", display_id="EXP0005", export_outcome="fail",
                       export_message="Entry is locked by a review")
        post_event(self.svc, "etr_fail")
        self.assertTrue(wait_for_log(self.svc, "Benchling export failed for entry etr_fail: Entry is locked"))
        # That line ends the job's run: anything it sent would be in the queue by now.
        self.assertEqual(WORLD.packager_messages_now("benchling/EXP0005"), [])
        self.assertEqual(objects("benchling/EXP0005/"), {})

    def test_zip_slip_export_is_rejected_before_anything_is_written(self):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("ok.txt", b"fine")
            z.writestr(zipfile.ZipInfo("../../escape.txt"), b"evil")
        FAKE.add_entry("etr_slip", display_id="EXP0006", export_zip=buf.getvalue())
        post_event(self.svc, "etr_slip")
        self.assertTrue(wait_for_log(self.svc, "Export of entry etr_slip rejected"))
        self.assertEqual(objects("benchling/EXP0006/"), {})
        self.assertFalse([k for k in objects("") if "escape" in k])

    def test_unknown_entry_is_poison_and_ends_in_the_dead_letter_queue(self):
        post_event(self.svc, "etr_missing")
        dlq = SQS.get_queue_url(QueueName=work_queue_name(STACK, "bw/pack").replace(".fifo", "-dlq.fifo"))
        deadline, got = time.monotonic() + 60, []
        while time.monotonic() < deadline and not got:
            got = SQS.receive_message(QueueUrl=dlq["QueueUrl"], WaitTimeSeconds=1).get("Messages", [])
        self.assertEqual(len(got), 1)
        job = json.loads(got[0]["Body"])
        self.assertEqual(json.loads(job["envelope"])["message"]["resourceId"], "etr_missing")
        self.assertIn("Benchling entry not found: etr_missing", self.svc.output())


class Faults(unittest.TestCase):
    def test_s3_failure_mid_upload_is_retried_and_the_result_is_complete(self):
        with FaultyProxy(MOTO.url) as proxy:
            svc = new_service("bw/s3fault", s3_endpoint=proxy.url)
            try:
                FAKE.add_entry("etr_s3f", display_id="EXP0101", export_zip=MEMBERS)
                # More failures than one call retries: the job fails and runs again from its message.
                proxy.fail("PUT", "/user-bucket/benchling/EXP0101/images/", status=500, times=6)
                post_event(svc, "etr_s3f")
                self.assertEqual(len(packager_messages("benchling/EXP0101", timeout=60)), 1)
                self.assertEqual(proxy.failed, 6)
                self.assertIn("job failed; it will be retried", svc.output())
                self.assertEqual(len(objects("benchling/EXP0101/")), 4 + 5)
            finally:
                svc.stop()

    def test_export_timeout_fails_the_job_clearly(self):
        svc = new_service("bw/timeout", extra_args=["--export-timeout", "2"])
        try:
            FAKE.add_entry("etr_slow", display_id="EXP0102", export_outcome="never")
            post_event(svc, "etr_slow")
            self.assertTrue(wait_for_log(svc, "Export of entry etr_slow did not complete within 2 seconds"))
            self.assertEqual(objects("benchling/EXP0102/"), {})
        finally:
            svc.stop()

    def test_worker_killed_mid_job_is_redelivered_and_completes_once(self):
        svc = new_service("bw/kill", extra_args=["--visibility-timeout", "5"])
        FAKE.add_entry("etr_kill", display_id="EXP0103", export_zip=MEMBERS, polls_before_done=3)
        tasks = FAKE.count(TASK)
        post_event(svc, "etr_kill")
        FAKE.wait_for_calls(TASK, tasks + 1, timeout=20)
        svc.proc.send_signal(signal.SIGKILL)
        svc.stop()
        env = dict(svc.env)
        again = Service(env, args=["--workers", "2", "--visibility-timeout", "5"]).start()
        try:
            again.wait_ready()
            self.assertEqual(len(packager_messages("benchling/EXP0103", timeout=60)), 1)
            # Deleted after it was done: the killed process's copy can never run again. No second message.
            self.assertTrue(wait_for_log(again, '"msg":"job done"'), again.output()[-3000:])
            self.assertEqual(WORLD.packager_messages_now("benchling/EXP0103"), [])
            self.assertEqual(len(objects("benchling/EXP0103/")), 4 + 5)
        finally:
            again.stop()


if __name__ == "__main__":
    unittest.main()
