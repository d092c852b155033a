"""Webhook intake through the real binary: Benchling signatures (signed by the fake with Python
`cryptography`), routes, limits, and durable intake into the SQS FIFO work queue on moto."""
import json
import os
import time
import unittest

from harness import leaks
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.service import Service, base_env
from harness.world import CLIENT_SECRET, World, canvas_queue_url, create_work_queue, valid_secret

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "benchling-events")

LIFECYCLE = {
    "app-installed.json": {"status": "success", "message": "App installed successfully"},
    "app-activate-requested.json": {"status": "activated", "message": "App activated successfully"},
    "app-deactivated.json": {"status": "success", "message": "App deactivated successfully"},
    "app-config-updated.json": {"status": "success", "message": "Configuration updated successfully"},
}
CANVAS = {
    "canvas-created.json": "Canvas update initiated",
    "canvas-initialized.json": "Canvas update initiated",
    "canvas-interaction.json": "Canvas update initiated",  # an unknown button refreshes the canvas
    "app-interaction.json": "Canvas update initiated",
}
ENTRY = ["entry-created.json", "entry-updated.json", "entry-review-record.json"]


def fixture(name) -> bytes:
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def setUpModule():
    global MOTO, FAKE, WORLD, STACK, QUEUE_URL, SVC
    MOTO = MotoServer().start()
    FAKE = FakeBenchling().start()
    WORLD = World(MOTO)
    WORLD.create_bucket()
    WORLD.create_secret("bw/hooks", valid_secret(jwks_url=FAKE.jwks_url))
    STACK = WORLD.create_stack("quilt-hooks")
    QUEUE_URL = create_work_queue(MOTO, STACK, "bw/hooks")
    # Intake only: the tests read the jobs from the queue themselves.
    SVC = Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/hooks"), args=["--workers", "0"]).start()
    SVC.wait_ready()


def tearDownModule():
    SVC.stop()
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=20)


def post(path, body: bytes, headers):
    return SVC.request("POST", path, body=body, headers=headers)


def drain_queue():
    """Every job now in the work and canvas queues (received, then deleted); `_queue` says which."""
    sqs = MOTO.client("sqs")
    jobs = []
    for name, url in (("work", QUEUE_URL), ("canvas", canvas_queue_url(QUEUE_URL))):
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                      AttributeNames=["All"]).get("Messages", [])
            if not got:
                break
            for m in got:
                job = json.loads(m["Body"])
                job["_group"] = m["Attributes"]["MessageGroupId"]
                job["_dedup"] = m["Attributes"].get("MessageDeduplicationId")
                job["_queue"] = name
                jobs.append(job)
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return jobs


class Routing(unittest.TestCase):
    def setUp(self):
        drain_queue()

    def test_lifecycle_samples_are_answered_with_no_job(self):
        for name, expected in LIFECYCLE.items():
            body = fixture(name)
            status, reply, _ = post("/lifecycle", body, FAKE.sign(body))
            self.assertEqual((status, reply), (200, expected), name)
        self.assertEqual(drain_queue(), [])

    def test_canvas_samples_become_canvas_jobs(self):
        for name, message in CANVAS.items():
            body = fixture(name)
            status, reply, _ = post("/canvas", body, FAKE.sign(body))
            self.assertEqual(status, 202, (name, reply))
            self.assertEqual(reply["message"], message, name)
        jobs = drain_queue()
        self.assertEqual(sorted(j["kind"] for j in jobs), ["canvas"] * len(CANVAS))
        # Canvas views wait in their own queue, never behind exports in the work queue.
        self.assertEqual({j["_queue"] for j in jobs}, {"canvas"})
        self.assertIn("canvas:cnvs_Q4mPJ34a", {j["_group"] for j in jobs})

    def test_entry_samples_become_package_jobs_with_the_raw_envelope(self):
        sent = {}
        for name in ENTRY:
            body = fixture(name)
            headers = FAKE.sign(body)
            status, reply, _ = post("/event", body, headers)
            self.assertEqual(status, 200, (name, reply))
            self.assertEqual(reply["status"], "ACCEPTED")
            self.assertEqual(reply["entry_id"], json.loads(body)["message"]["resourceId"])
            sent[headers["webhook-id"]] = body
        jobs = drain_queue()
        self.assertEqual(len(jobs), len(ENTRY))
        for job in jobs:
            self.assertEqual(job["kind"], "package")
            self.assertEqual(job["route"], "event")
            self.assertEqual(job["envelope"].encode(), sent[job["webhook_id"]])  # byte for byte
            self.assertTrue(job["_group"].startswith("entry:"))
            self.assertTrue(job["received_at"].endswith("Z"))

    def test_stage_prefixed_paths_route_the_same(self):
        body = fixture("app-installed.json")
        for path in ("/prod/lifecycle", "/dev/lifecycle", "/custom-stage/lifecycle"):
            status, reply, _ = post(path, body, FAKE.sign(body))
            self.assertEqual((status, reply["status"]), (200, "success"), path)
        status, _, _ = post("/a/b/lifecycle", body, FAKE.sign(body))
        self.assertEqual(status, 404)

    def test_unsupported_event_type_is_ignored(self):
        body = json.dumps({"message": {"type": "v2.request.created", "resourceId": "req_1"}}).encode()
        status, reply, _ = post("/event", body, FAKE.sign(body))
        self.assertEqual((status, reply["status"]), (200, "ignored"))
        self.assertEqual(drain_queue(), [])

    def test_malformed_and_entryless_payloads_are_400(self):
        for body, error in [(b"{not json", "No JSON payload provided in request"),
                            (b"[1]", "Invalid JSON payload provided in request"),
                            (b'{"message":{"type":"v2.entry.created"}}',
                             "entry_id is required and could not be extracted from payload")]:
            status, reply, _ = post("/event", body, FAKE.sign(body))
            self.assertEqual((status, reply), (400, {"error": error}))

    def test_oversized_headers_are_431(self):
        body = fixture("app-installed.json")
        headers = dict(FAKE.sign(body), **{"X-Padding": "p" * (20 * 1024)})
        status, reply, _ = post("/lifecycle", body, headers)
        self.assertEqual(status, 431)
        self.assertIn("too large", reply["error"])

    def test_oversized_body_is_413(self):
        body = b'{"pad":"' + b"x" * (1024 * 1024 + 10) + b'"}'
        status, reply, _ = post("/event", body, {"Content-Type": "application/json"})
        self.assertEqual(status, 413)
        self.assertIn("too large", reply["error"])


class Verification(unittest.TestCase):
    def assert_rejected(self, body, headers, path="/event"):
        status, reply, _ = post(path, body, headers)
        self.assertEqual((status, reply), (401, {"error": "Webhook verification failed"}))

    def test_tampered_body_id_and_timestamp_are_rejected(self):
        body = fixture("entry-created.json")
        h = FAKE.sign(body)
        self.assert_rejected(body.replace(b"8316", b"9316"), h)
        self.assert_rejected(body, dict(h, **{"webhook-id": h["webhook-id"] + "x"}))
        self.assert_rejected(body, dict(h, **{"webhook-timestamp": str(int(h["webhook-timestamp"]) + 1)}))

    def test_timestamps_outside_five_minutes_are_rejected(self):
        body = fixture("app-installed.json")
        self.assert_rejected(body, FAKE.sign(body, timestamp=int(time.time()) - 400), "/lifecycle")
        self.assert_rejected(body, FAKE.sign(body, timestamp=int(time.time()) + 400), "/lifecycle")
        self.assert_rejected(body, FAKE.sign(body, timestamp="soon"), "/lifecycle")

    def test_missing_headers_and_non_der_signatures_are_rejected(self):
        body = fixture("app-installed.json")
        h = FAKE.sign(body)
        for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
            self.assert_rejected(body, {k: v for k, v in h.items() if k != name}, "/lifecycle")
        self.assert_rejected(body, FAKE.sign(body, version="v1"), "/lifecycle")

    def test_header_names_in_any_case_and_one_valid_signature_among_several(self):
        body = fixture("app-installed.json")
        h = FAKE.sign(body, extra=["v1,aGVsbG8=", "v1der,MEUCIQ=="])
        mixed = {"Webhook-Id": h["webhook-id"], "WEBHOOK-TIMESTAMP": h["webhook-timestamp"],
                 "webhook-Signature": h["webhook-signature"], "Content-Type": "application/json"}
        status, _, _ = post("/lifecycle", body, mixed)
        self.assertEqual(status, 200)

    def test_raw_body_is_verified_as_received(self):
        body = b'{ "message" :  {"type": "v2.app.installed"} }\n'
        status, reply, _ = post("/lifecycle", body, FAKE.sign(body))
        self.assertEqual((status, reply["status"]), (200, "success"))


class KeyRotation(unittest.TestCase):
    """Its own fake and service, so no other test's refetch counts against the once-a-minute limit."""

    def test_rotated_key_is_refetched_and_a_flood_does_not_flood_the_jwks_endpoint(self):
        with FakeBenchling() as fake:
            WORLD.create_secret("bw/rotate", valid_secret(jwks_url=fake.jwks_url))
            create_work_queue(MOTO, STACK, "bw/rotate")
            with Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/rotate")) as svc:
                svc.wait_ready()
                body = fixture("app-installed.json")
                fake.rotate()
                before = fake.jwks_fetches
                status, _, _ = svc.request("POST", "/lifecycle", body=body, headers=fake.sign(body))
                self.assertEqual(status, 200)  # unknown key → one refetch → verified
                self.assertEqual(fake.jwks_fetches, before + 1)
                from cryptography.hazmat.primitives.asymmetric import ec

                stranger = ec.generate_private_key(ec.SECP256R1())
                for _ in range(30):
                    status, _, _ = svc.request("POST", "/lifecycle", body=body, headers=fake.sign(body, key=stranger))
                    self.assertEqual(status, 401)
                self.assertEqual(fake.jwks_fetches, before + 1)  # at most one refetch a minute


class DurableIntake(unittest.TestCase):
    def setUp(self):
        drain_queue()

    def test_duplicate_delivery_is_queued_once(self):
        body = fixture("entry-updated.json")
        headers = FAKE.sign(body)
        for _ in range(2):
            status, _, _ = post("/event", body, headers)
            self.assertEqual(status, 200)
        jobs = drain_queue()
        self.assertEqual(len(jobs), 1)
        self.assertEqual(jobs[0]["webhook_id"], headers["webhook-id"])

    def test_queue_down_answers_503_and_a_retried_delivery_is_accepted_once_back(self):
        sqs = MOTO.client("sqs")
        sqs.delete_queue(QueueUrl=QUEUE_URL)
        body = fixture("entry-created.json")
        headers = FAKE.sign(body)
        try:
            status, reply, resp_headers = post("/event", body, headers)
            self.assertEqual(status, 503)
            self.assertIn("Retry-After", resp_headers)
            self.assertEqual(reply["error"], "Work queue unavailable")
        finally:
            create_work_queue(MOTO, STACK, "bw/hooks")
        status, _, _ = post("/event", body, headers)  # Benchling delivers again
        self.assertEqual(status, 200)
        jobs = drain_queue()
        self.assertEqual([j["webhook_id"] for j in jobs], [headers["webhook-id"]])


def first_not_ready_answer(svc, timeout=20):
    """(status, body) of /health/ready once the first resolution has ended (no longer "starting")."""
    deadline = time.monotonic() + timeout
    while True:
        status, body, _ = svc.get("/health/ready")
        if (status == 503 and body["error"].get("error") != "starting") or time.monotonic() > deadline:
            return status, body
        time.sleep(0.05)


class Readiness(unittest.TestCase):
    def test_missing_queue_keeps_the_service_not_ready_and_says_to_deploy(self):
        WORLD.create_secret("bw/noqueue", valid_secret(jwks_url=FAKE.jwks_url))
        with Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/noqueue")) as svc:
            status, body = first_not_ready_answer(svc)
            self.assertEqual(status, 503)
            self.assertIn("benchling-webhook deploy", body["error"]["suggestion"])
            body = fixture("app-installed.json")
            status, _, headers = svc.request("POST", "/lifecycle", body=body, headers=FAKE.sign(body))
            self.assertEqual(status, 503)
            self.assertIn("Retry-After", headers)
            create_work_queue(MOTO, STACK, "bw/noqueue")
            svc.wait_ready(timeout=60)

    def test_a_stack_deployed_before_the_canvas_queue_is_not_ready_and_says_to_deploy(self):
        WORLD.create_secret("bw/nocanvas", valid_secret(jwks_url=FAKE.jwks_url))
        work_url = create_work_queue(MOTO, STACK, "bw/nocanvas")
        MOTO.client("sqs").delete_queue(QueueUrl=canvas_queue_url(work_url))
        with Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/nocanvas")) as svc:
            status, body = first_not_ready_answer(svc)
            self.assertEqual(status, 503)
            self.assertEqual(body["error"]["message"],
                             "Canvas queue not found: " + canvas_queue_url(work_url).rsplit("/", 1)[1])
            self.assertIn("benchling-webhook deploy", body["error"]["suggestion"])
            create_work_queue(MOTO, STACK, "bw/nocanvas")
            svc.wait_ready(timeout=60)

    def test_jwks_unreachable_keeps_the_service_not_ready(self):
        WORLD.create_secret("bw/nojwks", valid_secret(jwks_url=FAKE.url + "/nowhere/jwks"))
        create_work_queue(MOTO, STACK, "bw/nojwks")
        with Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/nojwks")) as svc:
            status, body = first_not_ready_answer(svc)
            self.assertEqual(status, 503)
            self.assertIn("JWKS", body["error"]["message"])

    def test_verification_disabled_in_the_secret_is_logged_loudly_and_accepts_unsigned(self):
        WORLD.create_secret("bw/noverify", valid_secret(enable_webhook_verification=False))
        create_work_queue(MOTO, STACK, "bw/noverify")
        with Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/noverify")) as svc:
            svc.wait_ready()
            body = fixture("app-installed.json")
            status, _, _ = svc.request("POST", "/lifecycle", body=body, headers={"Content-Type": "application/json"})
            self.assertEqual(status, 200)
            self.assertIn("verification is DISABLED", svc.output())


if __name__ == "__main__":
    unittest.main()
