"""`benchling-webhook backfill` at the wire: the real binary lists entries at the fake Benchling
(GET /api/v2/entries, held to the published spec) and queues packaging jobs into the work queue in moto;
the service's workers then package them like a webhook's."""
import base64
import json
import os
import re
import shlex
import signal
import subprocess
import time
import unittest

from harness import leaks
from harness.fake_benchling import ENTRIES, FakeBenchling
from harness.moto import MotoServer
from harness.service import BINARY, Service, base_env, run_cli
from harness.world import CLIENT_SECRET, World, create_work_queue, valid_secret


def setUpModule():
    global MOTO, WORLD, STACK, SQS
    MOTO = MotoServer().start()
    WORLD = World(MOTO)
    WORLD.create_bucket("user-bucket")
    STACK = WORLD.create_stack("quilt-backfill")
    SQS = MOTO.client("sqs")


def tearDownModule():
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=10)


def resume_args(out):
    """The words of the resume command an interrupted backfill printed."""
    return shlex.split(out.split("Resume with:\n", 1)[1].strip())


def modified(n):
    """A distinct modifiedAt per entry number (newer for larger n)."""
    return f"2025-01-{1 + n // 1440:02d}T{(n // 60) % 24:02d}:{n % 60:02d}:00.000000+00:00"


class Backfill(unittest.TestCase):
    """One fake Benchling, one secret and one work queue per test, so tests never see each other's entries."""

    def setUp(self):
        self.fake = FakeBenchling().start()
        self.addCleanup(self.fake.stop)
        self.secret = "bw/backfill-" + self._testMethodName[-40:].replace("_", "-")
        WORLD.create_secret(self.secret, valid_secret(jwks_url=self.fake.jwks_url, api_url=self.fake.url))
        self.env = base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=self.secret)

    def make_queue(self):
        self.queue = create_work_queue(MOTO, STACK, self.secret)
        return self.queue

    def add_entries(self, n, prefix="etr_", project="src_lab", start=0, **kw):
        ids = []
        for i in range(start, start + n):
            entry_id = f"{prefix}{i:04d}"
            self.fake.add_entry(entry_id, display_id=f"EXP{i:05d}", name=f"Entry {i}", modified_at=modified(i),
                                project_id=project, **kw)
            ids.append(entry_id)
        return ids

    def backfill(self, *args, timeout=120):
        return run_cli(["backfill", *args], self.env, timeout=timeout)

    def queued(self):
        """Every message in the work queue: (body as JSON, attributes), read once (kept invisible after)."""
        out = []
        while True:
            got = SQS.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10, VisibilityTimeout=600,
                                      AttributeNames=["All"]).get("Messages", [])
            if not got:
                return out
            out.extend((json.loads(m["Body"]), m["Attributes"]) for m in got)

    def assert_queued_once(self, ids):
        jobs = self.queued()
        entries = [json.loads(job["envelope"])["message"]["resourceId"] for job, _ in jobs]
        self.assertEqual(sorted(entries), sorted(ids))  # each once: no entry missing, none twice
        return jobs

    # ------------------------------------------------------------------ listing and queuing

    def test_pagination_over_several_pages_queues_one_webhook_like_job_per_entry(self):
        self.make_queue()
        self.fake.max_page_size = 7  # Benchling may send fewer than pageSize: the CLI follows nextToken
        ids = self.add_entries(25)
        self.add_entries(2, prefix="etr_arch", archived="Made in error")
        self.add_entries(1, prefix="etr_other", project="src_elsewhere")
        rc, out, err = self.backfill("--project", "src_lab")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("Backfill complete: listed 25 entries, queued 25 jobs, skipped 0", out)
        self.assertEqual(self.fake.listing_pages, 4)
        first, *rest = self.fake.listing_queries
        self.assertEqual(first, {"pageSize": "100", "sort": "modifiedAt:desc", "projectId": "src_lab",
                                 "archiveReason": "NOT_ARCHIVED"})
        self.assertTrue(all(q["nextToken"] for q in rest))
        self.assertEqual(len(re.findall(r"^backfill: page \d+", err, re.M)), 4)  # plain lines: not a terminal
        jobs = self.assert_queued_once(ids)
        for job, attrs in jobs:
            message = json.loads(job["envelope"])["message"]
            entry_id = message["resourceId"]
            n = int(entry_id[-4:])
            dedup = f"backfill-{entry_id}-{modified(n)}"
            # The job a webhook becomes (route event, entry group), with the backfill's dedup id.
            self.assertEqual((job["v"], job["kind"], job["route"], job["group_id"], job["webhook_id"]),
                             (1, "package", "event", f"entry:{entry_id}", dedup))
            self.assertEqual(attrs["MessageGroupId"], f"entry:{entry_id}")
            self.assertEqual(attrs["MessageDeduplicationId"], dedup)
            self.assertEqual(message["type"], "backfill")
            self.assertEqual(message["backfill"]["entryModifiedAt"], modified(n))
            self.assertEqual(message["backfill"]["displayId"], f"EXP{n:05d}")

    def test_selectors_map_onto_benchlings_filters(self):
        self.make_queue()
        notebook = self.add_entries(10, schema_id="ts_notebook")
        self.add_entries(3, prefix="etr_s", start=10, schema_id="ts_other")
        archived = self.add_entries(2, prefix="etr_a", start=30, schema_id="ts_notebook", archived="Retired")
        rc, out, err = self.backfill("--schema", "ts_notebook", "--modified-since", "2025-01-01T00:03:00Z",
                                     "--modified-before", "2025-01-01T02:45:00+02:00", "--include-archived")
        self.assertEqual(rc, 0, out + err)
        [query] = self.fake.listing_queries
        self.assertEqual(query["schemaId"], "ts_notebook")
        self.assertEqual(query["modifiedAt"], "> 2025-01-01T00:03:00Z AND < 2025-01-01T00:45:00Z")
        self.assertEqual(query["archiveReason"], "ANY_ARCHIVED_OR_NOT_ARCHIVED")
        self.assert_queued_once(notebook[4:] + archived)

    def test_entry_and_display_id_selectors(self):
        self.make_queue()
        self.add_entries(6)
        rc, out, err = self.backfill("--entry", "etr_0001,etr_0002", "--entry", "etr_0004")
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.fake.listing_queries[-1]["ids"], "etr_0001,etr_0002,etr_0004")
        rc, out, err = self.backfill("--display-id", "EXP00005")
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.fake.listing_queries[-1]["displayIds"], "EXP00005")
        self.assert_queued_once(["etr_0001", "etr_0002", "etr_0004", "etr_0005"])

    def test_an_entry_quilt_cannot_name_is_skipped_and_said(self):
        self.make_queue()
        ids = self.add_entries(3)
        self.fake.add_entry("etr_bad", display_id="EXP 7", modified_at=modified(50), project_id="src_lab")
        rc, out, err = self.backfill()
        self.assertEqual(rc, 0, out + err)
        self.assertIn("skipped etr_bad: its display ID contains ' '", err)
        self.assertIn("listed 4 entries, queued 3 jobs, skipped 1", out)
        self.assert_queued_once(ids)

    def test_429_mid_listing_waits_for_retry_after_and_goes_on(self):
        self.make_queue()
        self.fake.max_page_size = 5
        ids = self.add_entries(15)
        self.fake.fail_listing(after_pages=1, status=429, retry_after=1)
        rc, out, err = self.backfill()
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(self.fake.listing_pages, 3)
        # The refused request came again with the same token: no page lost, none repeated.
        tokens = [q.get("nextToken", "") for q in self.fake.listing_queries]
        self.assertEqual(len(tokens), 4)
        self.assertEqual(tokens[1], tokens[2])
        self.assertEqual(len(set(tokens)), 3)
        self.assert_queued_once(ids)

    def test_rerun_queues_nothing_twice_and_a_changed_entry_again(self):
        self.make_queue()
        ids = self.add_entries(12)
        for _ in range(2):
            rc, out, err = self.backfill()
            self.assertEqual(rc, 0, out + err)
        attrs = SQS.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "12")
        self.fake.entries["etr_0003"]["modifiedAt"] = "2025-06-01T00:00:00.000000+00:00"  # edited since
        rc, out, err = self.backfill()
        self.assertEqual(rc, 0, out + err)
        # Only the edited entry came again (its second job waits behind the first in the entry's group).
        attrs = SQS.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["ApproximateNumberOfMessages"])
        self.assertEqual(attrs["Attributes"]["ApproximateNumberOfMessages"], "13")
        first = []
        while len(first) < 12:
            first += SQS.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10, VisibilityTimeout=600,
                                         AttributeNames=["All"]).get("Messages", [])
        self.assertEqual(sorted(json.loads(json.loads(m["Body"])["envelope"])["message"]["resourceId"]
                                for m in first), sorted(ids))
        done = next(m for m in first if m["Attributes"]["MessageGroupId"] == "entry:etr_0003")
        SQS.delete_message(QueueUrl=self.queue, ReceiptHandle=done["ReceiptHandle"])  # the worker finished it
        [(job, attrs)] = self.queued()
        self.assertEqual(attrs["MessageGroupId"], "entry:etr_0003")
        self.assertEqual(json.loads(job["envelope"])["message"]["backfill"]["entryModifiedAt"],
                         "2025-06-01T00:00:00.000000+00:00")

    def test_resume_after_an_interruption_queues_every_entry_exactly_once(self):
        self.make_queue()
        self.fake.max_page_size = 25
        ids = self.add_entries(40)
        p = subprocess.Popen([BINARY, "backfill", "--rate", "4"], env=self.env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the first batch of 10 is in; the next waits for the rate
            attrs = SQS.get_queue_attributes(QueueUrl=self.queue, AttributeNames=["ApproximateNumberOfMessages"])
            if int(attrs["Attributes"]["ApproximateNumberOfMessages"]) >= 10:
                break
            time.sleep(0.05)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
        leaks.record(out)
        leaks.record(err)
        self.assertEqual(p.returncode, 1, out + err)
        self.assertIn("Backfill stopped: listed 10 entries, queued 10 jobs, skipped 0 so far.", out)
        args = resume_args(out)
        self.assertEqual(args[:2], ["benchling-webhook", "backfill"])
        self.assertEqual(args[2:4], ["--rate", "4"])
        token = args[args.index("--resume") + 1]
        point = json.loads(base64.urlsafe_b64decode(token[len("bf1."):] + "=" * (-len(token) % 4)))
        self.assertEqual((point["p"], point["o"], point["q"]), ("", 10, 10))  # first page, 10 of it queued
        rc, out2, err2 = run_cli(args[1:], self.env)
        self.assertEqual(rc, 0, out2 + err2)
        self.assertIn("listed 40 entries, queued 40 jobs (30 in this run), skipped 0", out2)
        self.assert_queued_once(ids)

    def test_resume_after_a_failure_mid_listing(self):
        self.make_queue()
        self.fake.max_page_size = 5
        ids = self.add_entries(15)
        self.fake.fail_listing(after_pages=2, status=400, retry_after=None)  # e.g. Benchling refused the token
        rc, out, err = self.backfill("--modified-since", "2024-12-31")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("Benchling refused the request for entry listing (HTTP 400)", err)
        self.assertIn("queued 10 jobs", out)
        args = resume_args(out)
        self.assertEqual(args[2:4], ["--modified-since", "2024-12-31"])
        rc, out, err = run_cli(args[1:], self.env)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("queued 15 jobs (5 in this run)", out)
        self.assert_queued_once(ids)

    def test_a_terminal_gets_a_bar_redrawn_in_place(self):
        import pty
        import threading

        self.make_queue()
        self.fake.max_page_size = 4
        self.add_entries(12)
        master, slave = pty.openpty()
        p = subprocess.Popen([BINARY, "backfill"], env=self.env, stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        chunks = []

        def read():
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:  # EIO: the CLI closed its end
                    return
                if not data:
                    return
                chunks.append(data)

        reader = threading.Thread(target=read)
        reader.start()
        out, _ = p.communicate(timeout=60)
        reader.join(timeout=10)
        os.close(master)
        err = b"".join(chunks).decode()
        leaks.record(out)
        leaks.record(err)
        self.assertEqual(p.returncode, 0, out + err)
        self.assertIn("\rpage 3  listed 12  queued 12  skipped 0", err)
        self.assertNotIn("backfill: page", err)  # no plain lines on a terminal
        self.assert_queued_once([f"etr_{i:04d}" for i in range(12)])

    def test_dry_run_lists_counts_and_queues_nothing(self):
        self.make_queue()
        self.fake.max_page_size = 10
        self.add_entries(23)
        rc, out, err = self.backfill("--dry-run")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("Dry run: 23 entries would be queued (0 skipped); nothing was queued.", out)
        lines = [l for l in out.splitlines() if l.startswith("  etr_")]
        self.assertEqual(len(lines), 10)
        self.assertTrue(lines[0].startswith("  etr_0022  EXP00022  modified " + modified(22)), lines[0])  # newest
        self.assertIn("... and 13 more", out)
        self.assertEqual(self.queued(), [])

    # ------------------------------------------------------------------ errors a user can cause

    def test_a_project_the_app_cannot_see(self):
        self.make_queue()
        self.add_entries(3, project="src_secret")
        for status in (404, 403):
            self.fake.hide_project("src_secret", status)
            rc, out, err = self.backfill("--project", "src_secret")
            self.assertEqual(rc, 1, out + err)
            self.assertIn("The Benchling app cannot see project src_secret", err)
            self.assertIn("add the app to project src_secret", err)
            self.assertIn(f"status: {status}", err)
        self.assertEqual(self.queued(), [])

    def test_an_empty_project_hints_at_the_apps_access(self):
        self.make_queue()
        rc, out, err = self.backfill("--project", "src_empty")
        self.assertEqual(rc, 0, out + err)
        self.assertIn("listed 0 entries", out)
        self.assertIn("if project src_empty has entries, add the app to that project in Benchling", out)

    def test_missing_work_queue_says_to_deploy_first(self):
        self.add_entries(2)
        rc, out, err = self.backfill()
        self.assertEqual(rc, 1, out + err)
        self.assertIn("Work queue not found: benchling-webhook-", err)
        self.assertIn("benchling-webhook deploy", err)
        self.assertEqual(self.fake.listing_queries, [])  # nothing listed for a queue that cannot take it

    def test_bad_dates_selectors_and_tokens_are_usage_errors(self):
        for args, message in [
            (["--modified-since", "2024-02-30"], "--modified-since is not a date: no such day"),
            (["--modified-before", "yesterday"], "--modified-before is not a date"),
            (["--modified-since", "2024-03-01T10:00"], "a time needs its zone"),
            (["--modified-since", "2024-03-02", "--modified-before", "2024-03-01"],
             "--modified-since must be earlier than --modified-before"),
            (["--entry", "etr 1"], "--entry contains a comma, space or control character"),
            (["--resume", "not-a-token"], "--resume is not a backfill resume token"),
        ]:
            rc, out, err = self.backfill(*args)
            self.assertEqual(rc, 2, (args, out, err))
            self.assertIn(message, err)
        self.assertEqual(self.fake.listing_queries, [])

    def test_a_token_of_other_selectors_is_refused(self):
        self.make_queue()
        self.fake.max_page_size = 2
        self.add_entries(4)
        self.fake.fail_listing(after_pages=1, status=400, retry_after=None)
        rc, out, err = self.backfill("--project", "src_lab")
        self.assertEqual(rc, 1, out + err)
        token = resume_args(out)[-1]
        rc, out, err = self.backfill("--project", "src_other", "--resume", token)
        self.assertEqual(rc, 2, out + err)
        self.assertIn("--resume belongs to a backfill with other selectors", err)

    # ------------------------------------------------------------------ the workers

    def test_the_services_workers_package_what_was_queued(self):
        self.make_queue()
        ids = self.add_entries(2)
        svc = Service(self.env, args=["--workers", "2"]).start()
        self.addCleanup(svc.stop)
        svc.wait_ready()
        rc, out, err = self.backfill()
        self.assertEqual(rc, 0, out + err)
        for n, entry_id in enumerate(ids):
            [raw] = WORLD.packager_messages(f"benchling/EXP{n:05d}", timeout=60)
            commit = json.loads(raw)["commit_message"]
            self.assertRegex(commit, r"^Benchling backfill at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            body = MOTO.client("s3").get_object(Bucket="user-bucket", Key=f"benchling/EXP{n:05d}/entry.json")
            entry = json.loads(body["Body"].read())
            self.assertEqual(entry["entry_id"], entry_id)
            self.assertEqual(entry["backfill"]["entryModifiedAt"], modified(n))
            self.assertEqual(entry["backfill"]["displayId"], f"EXP{n:05d}")
            self.assertEqual(entry["webhook_data"]["type"], "backfill")
            self.assertEqual(entry["export_timestamp"], entry["backfill"]["queuedAt"])
        leaks.record(svc.output())


if __name__ == "__main__":
    unittest.main()
