"""Benchling misbehaving while the service works: down in the middle of a job, a SIGTERM during a long export
download, and replies that are not what the API promises. The real binary runs against moto_server and the
fake Benchling; every scenario ends with what is in S3, the packager queue, the work queue and its dead-letter
queue, and no secret in anything the binary said."""
import json
import os
import re
import signal
import tempfile
import time
import unittest

from cryptography.hazmat.primitives.asymmetric import ec

from harness import waiting
from harness.fake_benchling import TASK, make_zip
from harness.waiting import wait_for
from harness.module_world import ModuleWorld
from harness.service import Service, base_env
from harness.world import create_work_queue, valid_secret, work_queue_name

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")
MEMBERS = [
    ("data/", b""),
    ("data/plate 1/results.csv", b"well,value\nA1,0.5\n"),
    ("images/micrograph-\u03b1.png", PNG),
    ("protocol.html", b"<html><body>protocol</body></html>"),
]
METADATA = ("entry.json", "entry_data.json", "links.json", "input.json", "README.md")
# Job lines the consumer writes (queue/consumer.cpp).
RETRIED = "job failed; it will be retried"
DEAD = "job failed; its message now goes to the dead-letter queue"
# Shutdown lines (queue/consumer.cpp): the job handed its message back itself / the pool did after the grace.
RELEASED = "job interrupted by shutdown; message released"
UNFINISHED = "stopped with jobs unfinished; their messages went back to the queue"


def setUpModule():
    global BASE, MOTO, FAKE, WORLD, STACK, SQS
    BASE = ModuleWorld("quilt-faults")
    MOTO, FAKE, WORLD, STACK, SQS = BASE.moto, BASE.fake, BASE.world, BASE.stack, BASE.sqs


def tearDownModule():
    # The client secret, every access token the fake issued and every pre-signed download credential.
    BASE.stop(*FAKE.issued_tokens, *FAKE.download_signatures, minimum=10)


# ----------------------------------------------------------------------------------------------- helpers

def new_service(secret_name, *args, env_extra=None, ready=True):
    """A service with its own secret (so its own work queue) and the given `serve` flags."""
    WORLD.create_secret(secret_name, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
    create_work_queue(MOTO, STACK, secret_name)
    env = base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=secret_name, **(env_extra or {}))
    svc = Service(env, args=list(args)).start()
    if ready:
        svc.wait_ready()
    return svc


def post_event(svc, entry_id, key=None):
    body = BASE.entry_event(entry_id, "v2.entry.created")
    return svc.request("POST", "/event", body=body, headers=FAKE.sign(body, key=key))


def accept_event(svc, entry_id):
    BASE.accept_event(svc, entry_id, "v2.entry.created")


def packager_messages(package_name, expect=1, timeout=30):
    return [json.loads(body) for body in WORLD.packager_messages(package_name, expect, timeout)]


def objects(prefix):
    return WORLD.objects(prefix)


def get(key):
    return MOTO.client("s3").get_object(Bucket="user-bucket", Key=key)["Body"].read()


def queue_url(secret_name, dlq=False):
    name = work_queue_name(STACK, secret_name)
    return SQS.get_queue_url(QueueName=name.replace(".fifo", "-dlq.fifo") if dlq else name)["QueueUrl"]


def queue_counts(secret_name, dlq=False):
    """(visible, in flight) messages of the service's work queue (or its dead-letter queue)."""
    attrs = SQS.get_queue_attributes(QueueUrl=queue_url(secret_name, dlq), AttributeNames=["All"])["Attributes"]
    return int(attrs["ApproximateNumberOfMessages"]), int(attrs["ApproximateNumberOfMessagesNotVisible"])


def log_lines(svc):
    return waiting.log_lines(svc.output().splitlines())


def job_lines(svc, entry_id):
    """The log lines of every run of the packaging job(s) of `entry_id` (matched by the job's request id)."""
    lines = log_lines(svc)
    ids = {l.get("request_id") for l in lines
           if l.get("msg") == "job started" and l.get("group") == f"entry:{entry_id}"}
    return [l for l in lines if l.get("request_id") in ids]


def wait_job_line(svc, entry_id, msg, timeout=30, count=1):
    """The job lines `msg` of `entry_id` once there are at least `count` of them."""
    def found():
        hits = [l for l in job_lines(svc, entry_id) if l.get("msg") == msg]
        return hits if len(hits) >= count else None
    try:
        return wait_for(found, timeout, f"{msg!r} for {entry_id}")
    except AssertionError:
        raise AssertionError(f"no {msg!r} x{count} for {entry_id}; its lines:\n" +
                             "\n".join(json.dumps(l) for l in job_lines(svc, entry_id))) from None


def discard(svc):
    """Ends a service whose shutdown is not under test: SIGKILL, so no idle long poll (up to 10 s) is waited
    out; its output still goes to the leak check."""
    if svc.proc and svc.proc.poll() is None:
        svc.proc.kill()
    svc.stop()


def assert_alive(test, svc):
    test.assertIsNone(svc.proc.poll(), "the service died:\n" + svc.output()[-3000:])
    status, body, _ = svc.get("/health/live")
    test.assertEqual(status, 200, body)


def assert_complete_package(test, display_id, members, entry_id):
    """Every member in S3 with its exact bytes, the five metadata documents, nothing else; entry.json lists each
    member once with its size."""
    prefix = f"benchling/{display_id}/"
    files = {name: data for name, data in members if not name.endswith("/")}
    keys = objects(prefix)
    test.assertEqual(set(keys), {prefix + n for n in files} | {prefix + n for n in METADATA})
    for name, data in files.items():
        test.assertEqual(get(prefix + name), data, name)
    entry = json.loads(get(prefix + "entry.json"))
    test.assertEqual(entry["entry_id"], entry_id)
    test.assertEqual({k: v["size"] for k, v in entry["files"].items()}, {n: len(d) for n, d in files.items()})


def dead_letters(secret_name, timeout):
    """Drains the dead-letter queue of `secret_name` into DEAD_LETTERS ({entry id: job}) until a receive comes
    back empty or `timeout` s pass (receiving hides a message, so what was read is kept for later tests)."""
    url = queue_url(secret_name, dlq=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = SQS.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
        for m in got:
            job = json.loads(m["Body"])
            entry_id = json.loads(job["envelope"])["message"]["resourceId"]
            DEAD_LETTERS.setdefault(secret_name, {})[entry_id] = job
            SQS.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        if not got:
            return


DEAD_LETTERS = {}


def wait_dead_letter(secret_name, entry_id, timeout=45):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and entry_id not in DEAD_LETTERS.get(secret_name, {}):
        dead_letters(secret_name, 1)
    return DEAD_LETTERS.get(secret_name, {}).get(entry_id)


# ----------------------------------------------------------------------------------------------- Benchling down

class BenchlingDown(unittest.TestCase):
    def tearDown(self):
        FAKE.clear_faults()

    def test_benchling_down_mid_export_fails_the_job_which_is_retried_and_completes_once(self):
        svc = new_service("bw/down", "--workers", "2", "--visibility-timeout", "5")
        try:
            FAKE.add_entry("etr_down", display_id="EXP0201", name="Down", export_zip=MEMBERS, polls_before_done=2)
            polls = FAKE.count(TASK)
            accept_event(svc, "etr_down")
            self.assertTrue(FAKE.wait_for_calls(TASK, polls + 1, timeout=20), "the job never polled its export")
            # Benchling goes down while the export runs: its API drops connections without a reply (the client
            # retries those a few times, then gives up), its download host answers 500.
            FAKE.outage("/api/v2/", "close")
            FAKE.outage("/downloads/", 500)
            [failed] = wait_job_line(svc, "etr_down", RETRIED, timeout=30)
            self.assertIn("cannot reach 127.0.0.1", failed["error"])  # names the host that is down
            self.assertGreater(failed["retry_in_s"], 0)  # it can heal: retried after a backoff, not at once
            self.assertGreater(FAKE.outage_hits, 0)
            # While Benchling is down nothing was written and nothing sent; the job waits in its queue.
            self.assertEqual(objects("benchling/EXP0201/"), {})
            self.assertEqual(queue_counts("bw/down"), (0, 1))
            assert_alive(self, svc)
            FAKE.set_export("etr_down", zip=MEMBERS, polls_before_done=0)  # the retry needs no long export
            FAKE.end_outage()

            [msg] = packager_messages("benchling/EXP0201", timeout=45)
            self.assertEqual(msg["source_prefix"], "s3://user-bucket/benchling/EXP0201/")
            assert_complete_package(self, "EXP0201", MEMBERS, "etr_down")
            [done] = wait_job_line(svc, "etr_down", "job done", timeout=10)
            self.assertEqual(done["receives"], 2)
            wait_for(lambda: queue_counts("bw/down") == (0, 0), 10, "an empty work queue")
            self.assertEqual(queue_counts("bw/down", dlq=True), (0, 0))
            # The job is done and its message deleted: anything it sent is in the queue by now. Exactly one.
            self.assertEqual(WORLD.packager_messages_now("benchling/EXP0201"), [])
        finally:
            discard(svc)

    def test_download_dropped_part_way_is_retried_and_the_objects_are_whole(self):
        members = MEMBERS + [("big/random.bin", os.urandom(200 * 1024))]  # stored mostly uncompressed
        svc = new_service("bw/cut", "--workers", "2", "--visibility-timeout", "5")
        try:
            FAKE.add_entry("etr_cut", display_id="EXP0202", export_zip=members, polls_before_done=0)
            FAKE.cut_downloads(after_bytes=50 * 1024, times=1)
            accept_event(svc, "etr_cut")
            [failed] = wait_job_line(svc, "etr_cut", RETRIED, timeout=30)
            self.assertIn("cannot download the Benchling export", failed["error"])
            # The pre-signed URL is shown without its query (a credential).
            self.assertNotIn("X-Amz-Signature", json.dumps(failed))
            self.assertEqual(objects("benchling/EXP0202/"), {})  # the partial ZIP was never unpacked
            self.assertEqual(len(packager_messages("benchling/EXP0202", timeout=45)), 1)
            assert_complete_package(self, "EXP0202", members, "etr_cut")
            self.assertGreaterEqual(FAKE.downloads_completed, 1)
            wait_for(lambda: queue_counts("bw/cut") == (0, 0), 10, "an empty work queue")
            assert_alive(self, svc)
        finally:
            discard(svc)


# ----------------------------------------------------------------------------------------------- SIGTERM

class SigtermDuringExport(unittest.TestCase):
    def tearDown(self):
        FAKE.clear_faults()

    def _start(self, secret_name, entry_id, display_id, members):
        self.tmp = tempfile.mkdtemp(prefix="bw-faults-")
        # A long visibility timeout: after the process exits the message can only be visible because it was
        # released, not because its visibility ran out.
        svc = new_service(secret_name, "--workers", "2", "--visibility-timeout", "120",
                          env_extra={"TMPDIR": self.tmp})
        FAKE.add_entry(entry_id, display_id=display_id, export_zip=members, polls_before_done=0)
        FAKE.trickle_downloads(chunk=2048, interval=0.1)  # ~20 KiB/s: the download takes far longer than a test
        started, sent = FAKE.downloads_started, FAKE.download_bytes_sent
        self.completed, self.aborted = FAKE.downloads_completed, FAKE.downloads_aborted
        accept_event(svc, entry_id)
        self.assertTrue(FAKE.wait_until(lambda f: f.downloads_started > started and
                                        f.download_bytes_sent > sent + 8192, timeout=20),
                        "the export download never got under way")
        return svc

    def _second_run_completes_once(self, svc, secret_name, entry_id, display_id, members):
        """A second process with the same settings finishes the released job, exactly once."""
        again = Service(dict(svc.env), args=list(svc.args)).start()
        try:
            again.wait_ready()
            [msg] = packager_messages(f"benchling/{display_id}", timeout=30)
            self.assertEqual(msg["package_name"], f"benchling/{display_id}")
            assert_complete_package(self, display_id, members, entry_id)
            [done] = wait_job_line(again, entry_id, "job done", timeout=10)
            # The same message, received again (a worker of the stopping process may have handed it back once
            # more), run once here.
            self.assertGreaterEqual(done["receives"], 2)
            self.assertEqual(len([l for l in job_lines(again, entry_id) if l.get("msg") == "job started"]), 1)
            wait_for(lambda: queue_counts(secret_name) == (0, 0), 10, "an empty work queue")
            self.assertEqual(queue_counts(secret_name, dlq=True), (0, 0))
            self.assertEqual(WORLD.packager_messages_now(f"benchling/{display_id}"), [])  # no duplicate
            # Only one of the two processes finished the job.
            self.assertEqual([l for l in job_lines(svc, entry_id) if l.get("msg") == "job done"], [])
        finally:
            discard(again)

    def _released_once(self, svc, entry_id):
        """The stop handed the job's message back exactly once, and the process then said it stopped."""
        released = [l for l in job_lines(svc, entry_id) if l.get("msg") == RELEASED]
        by_pool = [l for l in log_lines(svc) if l.get("msg") == UNFINISHED]
        self.assertEqual(len(released) + len(by_pool), 1, svc.output()[-3000:])
        msgs = [l.get("msg") for l in log_lines(svc)]
        at = msgs.index(RELEASED if released else UNFINISHED)
        self.assertIn("stopping", msgs[:at])
        self.assertIn("stopped", msgs[at:])
        return released

    def test_sigterm_mid_download_releases_the_job_and_the_next_process_completes_it_once(self):
        members = MEMBERS + [("big/random.bin", os.urandom(600 * 1024))]
        svc = self._start("bw/term", "etr_term", "EXP0301", members)
        try:
            svc.proc.send_signal(signal.SIGTERM)
            # A hang guard, not a measurement: the grace is 20 s; the assertions below say what happened.
            code = svc.proc.wait(60)
        finally:
            discard(svc)  # already gone: only collects its output
        self.assertEqual(code, 0, svc.output()[-3000:])
        # Handed back by the job itself noticing the stop, or by the pool when the grace ran out: once.
        self._released_once(svc, "etr_term")
        self.assertTrue(FAKE.wait_until(lambda f: f.downloads_aborted > self.aborted, timeout=10))
        self.assertEqual(FAKE.downloads_completed, self.completed)
        # Released: visible again at once (the visibility timeout is 120 s), and nothing half-written.
        self.assertEqual(queue_counts("bw/term"), (1, 0))
        self.assertEqual(objects("benchling/EXP0301/"), {})
        self.assertEqual(WORLD.packager_messages_now("benchling/EXP0301"), [])
        FAKE.trickle_downloads(None)
        self._second_run_completes_once(svc, "bw/term", "etr_term", "EXP0301", members)

    def test_sigterm_abandons_a_download_at_once_writes_nothing_and_releases_the_job(self):
        members = MEMBERS + [("big/random.bin", os.urandom(300 * 1024))]
        svc = self._start("bw/term2", "etr_term2", "EXP0302", members)
        try:
            svc.proc.send_signal(signal.SIGTERM)
            code = svc.proc.wait(60)  # a hang guard: the log below tells an abandoned download from a waited one
        finally:
            FAKE.trickle_downloads(None)
            discard(svc)
        self.assertEqual(code, 0, svc.output()[-3000:])
        # The worker stopped reading the export (it would be discarded anyway), handed the message back itself
        # and removed its spool file; had it kept downloading, the grace would have run out and the pool would
        # have released the message instead (UNFINISHED).
        [released] = self._released_once(svc, "etr_term2")
        self.assertEqual(released["error"], "stopped before the job finished")
        self.assertNotIn(UNFINISHED, svc.output())
        self.assertEqual(FAKE.downloads_completed, self.completed)
        self.assertEqual(queue_counts("bw/term2"), (1, 0))
        self.assertEqual(objects("benchling/EXP0302/"), {})
        self.assertEqual(os.listdir(self.tmp), [])  # the spooled partial ZIP was removed
        self._second_run_completes_once(svc, "bw/term2", "etr_term2", "EXP0302", members)


# ----------------------------------------------------------------------------------------------- malformed replies

def valid_zip_truncated():
    data = make_zip(MEMBERS)
    return data[: len(data) // 2]


class MalformedReplies(unittest.TestCase):
    """One service; every case's event is posted at once in setUpClass, so their retries overlap and each test
    only checks its own entry's outcome."""
    SECRET = "bw/malformed"

    @classmethod
    def setUpClass(cls):
        cls.svc = new_service(cls.SECRET, "--workers", "8", "--visibility-timeout", "5")
        html = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
        # Healable garbage, once: the job fails clearly, is retried after its backoff and then succeeds.
        FAKE.add_entry("etr_m_html", display_id="EXP0401", export_zip=MEMBERS)
        FAKE.fail_next("/api/v2/entries/etr_m_html", 200, body=html, content_type="text/html")
        FAKE.add_entry("etr_m_shape", display_id="EXP0402", export_zip=MEMBERS)
        FAKE.fail_next("/api/v2/entries/etr_m_shape", 200, body={"entries": [{"id": "etr_m_shape"}]})
        FAKE.add_entry("etr_m_notask", display_id="EXP0403", export_zip=MEMBERS)
        FAKE.set_export("etr_m_notask", zip=MEMBERS, export_reply={"status": "RUNNING"}, bad_exports=1)
        FAKE.add_entry("etr_m_nourl", display_id="EXP0404", export_zip=MEMBERS)
        FAKE.set_export("etr_m_nourl", zip=MEMBERS, bad_exports=1,
                        task_reply={"id": "task_x", "status": "SUCCEEDED", "response": {}})
        FAKE.add_entry("etr_m_taskjunk", display_id="EXP0405", export_zip=MEMBERS)
        FAKE.set_export("etr_m_taskjunk", zip=MEMBERS, bad_exports=1, task_reply=b"\x00\xffnot json{")
        # Permanent garbage: the same bytes on every export; after 5 receives the job is dead-lettered.
        FAKE.add_entry("etr_m_notzip", display_id="EXP0406", export_zip=b"PK\x03\x04 this is not a zip at all")
        FAKE.add_entry("etr_m_trunc", display_id="EXP0407", export_zip=valid_zip_truncated())
        # An entry whose fields all have the wrong JSON types.
        FAKE.add_entry("etr_m_types", display_id="EXP0408", export_zip=MEMBERS)
        FAKE.malform_entry("etr_m_types", displayId=408, name=["not", "a", "string"], days="monday", fields=[1, 2],
                           authors="nobody", creator=7, webURL={"x": 1}, modifiedAt=5, folderId=True)
        # One without a field the package metadata requires.
        FAKE.add_entry("etr_m_nodate", display_id="EXP0409", export_zip=MEMBERS)
        FAKE.malform_entry("etr_m_nodate", createdAt=None)
        cls.cases = ["etr_m_html", "etr_m_shape", "etr_m_notask", "etr_m_nourl", "etr_m_taskjunk",
                     "etr_m_notzip", "etr_m_trunc", "etr_m_types", "etr_m_nodate"]
        for entry_id in cls.cases:
            accept_event(cls.svc, entry_id)

    @classmethod
    def tearDownClass(cls):
        try:
            FAKE.clear_faults()
        finally:
            discard(cls.svc)

    def tearDown(self):
        assert_alive(self, self.svc)

    def _fails_then_recovers(self, entry_id, display_id, expected_error):
        [failed] = wait_job_line(self.svc, entry_id, RETRIED, timeout=30)
        self.assertIn(expected_error, failed["error"])
        self.assertGreater(failed["retry_in_s"], 0)
        self.assertEqual(len(packager_messages(f"benchling/{display_id}", timeout=45)), 1)
        assert_complete_package(self, display_id, MEMBERS, entry_id)
        [done] = wait_job_line(self.svc, entry_id, "job done", timeout=10)
        self.assertEqual(done["receives"], 2)
        self.assertEqual(len([l for l in job_lines(self.svc, entry_id) if l.get("msg") == RETRIED]), 1)

    def _dead_lettered(self, entry_id, display_id, expected_error):
        job = wait_dead_letter(self.SECRET, entry_id, timeout=60)
        self.assertIsNotNone(job, f"{entry_id} never reached the dead-letter queue:\n" +
                             "\n".join(json.dumps(l) for l in job_lines(self.svc, entry_id)))
        wait_job_line(self.svc, entry_id, DEAD, timeout=10)  # logged after the move (lines are batched)
        failures = [l for l in job_lines(self.svc, entry_id) if l.get("msg") in (RETRIED, DEAD)]
        self.assertEqual(len(failures), 5, failures)
        self.assertEqual(failures[-1]["msg"], DEAD)
        for line in failures:
            self.assertIn(expected_error, line["error"])
            # It cannot heal: no backoff before the next receive. The last failure is moved, not retried.
            self.assertEqual(line.get("retry_in_s", 0), 0)
        self.assertNotIn("retry_in_s", failures[-1])
        self.assertEqual(objects(f"benchling/{display_id}/"), {})
        self.assertEqual(WORLD.packager_messages_now(f"benchling/{display_id}"), [])

    def test_entry_reply_that_is_html_fails_clearly_then_recovers(self):
        self._fails_then_recovers("etr_m_html", "EXP0401",
                                  "Benchling answered /api/v2/entries/etr_m_html with something other than a "
                                  "JSON object")

    def test_entry_reply_without_an_entry_object_fails_clearly_then_recovers(self):
        self._fails_then_recovers("etr_m_shape", "EXP0402", "reply for entry etr_m_shape has no entry object")

    def test_export_reply_without_a_task_id_fails_clearly_then_recovers(self):
        self._fails_then_recovers("etr_m_notask", "EXP0403", "Export initiated but task ID not found in response")

    def test_task_reply_without_a_download_url_fails_clearly_then_recovers(self):
        self._fails_then_recovers("etr_m_nourl", "EXP0404", "Export succeeded but no downloadURL")

    def test_task_reply_that_is_not_json_fails_clearly_then_recovers(self):
        self._fails_then_recovers("etr_m_taskjunk", "EXP0405", "with something other than a JSON object")

    def test_export_that_is_not_a_zip_is_dead_lettered_with_a_clear_error(self):
        self._dead_lettered("etr_m_notzip", "EXP0406", "Export of entry etr_m_notzip rejected")

    def test_truncated_zip_is_dead_lettered_with_a_clear_error(self):
        self._dead_lettered("etr_m_trunc", "EXP0407", "Export of entry etr_m_trunc rejected")

    def test_entry_with_wrongly_typed_fields_is_packaged_under_its_id(self):
        # displayId is not a string: the package is named after the entry id instead, and nothing crashes.
        self.assertEqual(len(packager_messages("benchling/etr_m_types", timeout=30)), 1)
        assert_complete_package(self, "etr_m_types", MEMBERS, "etr_m_types")

    def test_entry_without_a_required_field_fails_clearly_and_is_retried(self):
        failed = wait_job_line(self.svc, "etr_m_nodate", RETRIED, timeout=30)[0]  # retried fast: no export first
        self.assertIn("Missing required fields in entry_data: created_at. Entry ID: etr_m_nodate", failed["error"])
        self.assertIn("GET /entries/{id}", failed["suggestion"])
        self.assertGreater(failed["retry_in_s"], 0)  # Benchling may still be writing the entry


# ----------------------------------------------------------------------------------------------- token and JWKS

class IncompleteEntry(unittest.TestCase):
    def test_entry_without_a_required_field_writes_nothing(self):
        svc = new_service("bw/nodate", "--workers", "2", "--visibility-timeout", "5")
        try:
            FAKE.add_entry("etr_nodate2", display_id="EXP0410", export_zip=MEMBERS)
            FAKE.malform_entry("etr_nodate2", createdAt=None)
            accept_event(svc, "etr_nodate2")
            failed = wait_job_line(svc, "etr_nodate2", RETRIED, timeout=30)[0]
            self.assertIn("Missing required fields in entry_data: created_at", failed["error"])
            self.assertEqual(objects("benchling/EXP0410/"), {})  # nothing exported or written
        finally:
            discard(svc)


class MalformedToken(unittest.TestCase):
    def tearDown(self):
        FAKE.clear_faults()

    def test_token_reply_without_access_token_dead_letters_the_job_and_a_sane_token_heals_it(self):
        svc = new_service("bw/token", "--workers", "2", "--visibility-timeout", "5")
        try:
            FAKE.add_entry("etr_tok", display_id="EXP0501", export_zip=MEMBERS)
            FAKE.fail_next("/api/v2/token", 200, times=None, body={"token_type": "Bearer", "expires_in": 900})
            accept_event(svc, "etr_tok")
            self.assertIsNotNone(wait_dead_letter("bw/token", "etr_tok", timeout=45),
                                 "\n".join(json.dumps(l) for l in job_lines(svc, "etr_tok")))
            wait_job_line(svc, "etr_tok", DEAD, timeout=10)  # logged after the move (lines are batched)
            failures = [l for l in job_lines(svc, "etr_tok") if l.get("msg") in (RETRIED, DEAD)]
            self.assertEqual(len(failures), 5)
            for line in failures:
                self.assertIn("Benchling's token endpoint answered an unusable token: no access_token",
                              line["error"])
            assert_alive(self, svc)
            self.assertEqual(objects("benchling/EXP0501/"), {})

            # Benchling answers sanely again: the next job gets a token and completes, without a restart.
            FAKE.clear_faults()
            FAKE.add_entry("etr_tok2", display_id="EXP0502", export_zip=MEMBERS)
            accept_event(svc, "etr_tok2")
            self.assertEqual(len(packager_messages("benchling/EXP0502", timeout=30)), 1)
            assert_complete_package(self, "EXP0502", MEMBERS, "etr_tok2")
        finally:
            discard(svc)


class RotatedClientSecret(unittest.TestCase):
    def test_invalid_client_rereads_the_secret_at_once_and_the_job_heals(self):
        """Benchling's documented token rejection (401 {"error": {"type": "invalid_client"}}) for a client
        secret rotated away makes the service re-read its secret then, not after its 5-minute TTL."""
        name = "bw/rotated"
        WORLD.create_secret(name, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url,
                                               client_secret="cs-rotated-away-0c9e"))
        create_work_queue(MOTO, STACK, name)
        env = base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=name)
        svc = Service(env, args=["--workers", "2", "--visibility-timeout", "5"]).start()
        try:
            svc.wait_ready()
            WORLD.update_secret(name, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))  # the new secret
            # A rejection re-reads the secret at most every 10 s after the last read: wait until the service's
            # own gauge says its configuration (read at the start) is older than that.
            def config_age():
                status, body, _ = svc.get("/metrics")
                m = re.search(r"^benchling_webhook_config_refresh_age_seconds (\S+)$", body, re.M)
                return float(m.group(1)) if status == 200 and m else 0.0
            wait_for(lambda: config_age() > 10.1, 30, "the configuration to be 10 s old")
            rejected_before = FAKE.token_requests - FAKE.tokens_issued
            FAKE.add_entry("etr_rot", display_id="EXP0601", export_zip=MEMBERS)
            accept_event(svc, "etr_rot")
            self.assertEqual(len(packager_messages("benchling/EXP0601", timeout=45)), 1,
                             "\n".join(json.dumps(l) for l in job_lines(svc, "etr_rot")))
            self.assertGreaterEqual(FAKE.token_requests - FAKE.tokens_issued, rejected_before + 1)
            assert_complete_package(self, "EXP0601", MEMBERS, "etr_rot")
        finally:
            discard(svc)


class GarbageJwks(unittest.TestCase):
    def tearDown(self):
        FAKE.jwks_body = None
        FAKE.jwks_status = 200

    def test_garbage_jwks_at_start_keeps_the_service_live_and_webhooks_get_503_until_it_is_fixed(self):
        FAKE.jwks_body = b"<html>maintenance</html>"
        svc = new_service("bw/jwks", "--workers", "2", ready=False)
        try:
            def not_ready_for_jwks():
                status, body, _ = svc.get("/health/ready")
                return status == 503 and "JWKS" in json.dumps(body) and body
            body = wait_for(not_ready_for_jwks, 20, "/health/ready naming the JWKS")
            self.assertIn("signing keys", json.dumps(body))
            assert_alive(self, svc)
            # A signed delivery cannot be checked: 503 with Retry-After (Benchling delivers again), not 401
            # (which would say the signature is wrong) and not 500.
            for garbage in (b"<html>maintenance</html>", {"keys": "none"}, {"keys": [{"kty": "EC", "x": 1}]}):
                FAKE.jwks_body = garbage
                status, reply, headers = post_event(svc, "etr_jwks")
                self.assertEqual(status, 503, reply)
                self.assertIn("Retry-After", headers)
            self.assertEqual(queue_counts("bw/jwks"), (0, 0))  # nothing was queued
            assert_alive(self, svc)

            FAKE.jwks_body = None  # Benchling's keys are back: the service heals without a restart
            svc.wait_ready(timeout=40)
            FAKE.add_entry("etr_jwks", display_id="EXP0601", export_zip=MEMBERS)
            accept_event(svc, "etr_jwks")
            self.assertEqual(len(packager_messages("benchling/EXP0601", timeout=30)), 1)
        finally:
            discard(svc)

    def test_garbage_jwks_on_refetch_keeps_the_loaded_keys(self):
        svc = new_service("bw/jwks2", "--workers", "0")
        try:
            fetches = FAKE.jwks_fetches
            FAKE.jwks_body = {"keys": [{"kty": "EC", "crv": "P-256", "x": "!!", "y": "??"}]}
            # Signed by a key the service does not hold: it refetches and gets garbage, so it cannot tell a
            # rotation from a forgery. Nothing is queued; Benchling is asked to deliver again (503, not 401).
            stranger = ec.generate_private_key(ec.SECP256R1())
            status, reply, headers = post_event(svc, "etr_jwks2", key=stranger)
            self.assertEqual(status, 503, reply)
            self.assertEqual(reply["error"], "Webhook verification keys unavailable")
            self.assertIn("Retry-After", headers)
            self.assertGreater(FAKE.jwks_fetches, fetches)
            # The keys loaded before still verify Benchling's real deliveries; the service stays ready.
            status, reply, _ = post_event(svc, "etr_jwks2")
            self.assertEqual(status, 200, reply)
            self.assertEqual(svc.get("/health/ready")[0], 200)
            assert_alive(self, svc)
        finally:
            discard(svc)


if __name__ == "__main__":
    unittest.main()
