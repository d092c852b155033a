"""GET /metrics (Prometheus text format 0.0.4) and the request id that follows a delivery, through the real
binary: a rejected signature, an entry event that a worker packages, and a lifecycle event; verification
failures by reason, the work queue's receive lag, and the ages of the configuration and of the JWKS."""
import json
import os
import re
import time
import unittest
import uuid

from harness import leaks
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.service import Service, base_env
from harness.waiting import wait_for
from harness.world import CLIENT_SECRET, World, create_work_queue, valid_secret

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "benchling-events")
PREFIX = "benchling_webhook_"
REASONS = {"missing_id", "missing_timestamp", "missing_signature", "invalid_timestamp", "too_old", "too_new",
           "no_der_signature", "malformed_signature", "no_matching_signature", "no_keys", "header_too_long",
           "keys_unavailable"}
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
SAMPLE = re.compile(rf"^({NAME})(?:\{{((?:{LABEL})(?:,{LABEL})*)?\}})? (\S+)$")
HELP = re.compile(rf"^# HELP ({NAME}) (.*)$")
TYPE = re.compile(rf"^# TYPE ({NAME}) (counter|gauge|histogram|summary|untyped)$")


def parse_exposition(text):
    """Checks the text line by line: comments are HELP/TYPE, every other line is `name{labels} value`.
    Returns ({(name, frozenset(labels)): value}, {family: type})."""
    samples, types = {}, {}
    assert text.endswith("\n"), "the exposition ends with a newline"
    for n, line in enumerate(text[:-1].split("\n"), 1):
        if line.startswith("#"):
            m = HELP.match(line) or TYPE.match(line)
            assert m, f"line {n}: a comment that is neither HELP nor TYPE: {line!r}"
            if line.startswith("# TYPE"):
                assert m.group(1) not in types, f"line {n}: second TYPE for {m.group(1)}"
                types[m.group(1)] = m.group(2)
            continue
        m = SAMPLE.match(line)
        assert m, f"line {n}: not `name{{labels}} value`: {line!r}"
        name, labels_text, value = m.group(1), m.group(2) or "", m.group(m.lastindex)
        labels = {}
        for lm in re.finditer(LABEL, labels_text):
            assert lm.group(1) not in labels, f"line {n}: label {lm.group(1)} twice"
            labels[lm.group(1)] = re.sub(r"\\(.)", lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), lm.group(2))
        key = (name, frozenset(labels.items()))
        assert key not in samples, f"line {n}: duplicate series {line!r}"
        samples[key] = float(value)  # float() reads +Inf, -Inf and NaN too
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"line {n}: sample before the TYPE of its family: {line!r}"
    return samples, types


def fixture(name) -> bytes:
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def setUpModule():
    global MOTO, FAKE, SVC, STARTED
    MOTO = MotoServer().start()
    FAKE = FakeBenchling(polls_before_done=1).start()
    world = World(MOTO)
    world.create_bucket("user-bucket")
    world.create_secret("bw/metrics", valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
    stack = world.create_stack("quilt-metrics")
    create_work_queue(MOTO, stack, "bw/metrics")
    STARTED = time.time()
    SVC = Service(base_env(MOTO.url, QuiltStackARN=stack, BenchlingSecret="bw/metrics"),
                  args=["--workers", "1"]).start()
    SVC.wait_ready()


def tearDownModule():
    SVC.stop()
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=5)


def scrape():
    status, body, headers = SVC.get("/metrics")
    assert status == 200, (status, body)
    assert headers.get("Content-Type") == CONTENT_TYPE, headers
    assert isinstance(body, str), body
    return parse_exposition(body)


def value(samples, name, **labels):
    return samples.get((PREFIX + name, frozenset(labels.items())))


def log_lines():
    return [json.loads(line) for line in SVC.output().splitlines() if line.startswith("{")]


class MetricsAndRequestIds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # 1. A bad signature: the body was changed after signing.
        body = fixture("app-installed.json")
        cls.bad_id = "msg_bad" + uuid.uuid4().hex
        headers = FAKE.sign(body, webhook_id=cls.bad_id)
        status, _, _ = SVC.request("POST", "/lifecycle", body=body.replace(b"installed", b"uninstalled"),
                                   headers=headers)
        assert status == 401, status

        # 2. An entry event that the worker packages.
        FAKE.add_entry("etr_metrics1", display_id="EXP0301", name="Metrics",
                       export_zip=[("data/a.csv", b"a,b\n1,2\n")])
        body = json.dumps({"version": "0", "baseURL": FAKE.url, "channel": "events",
                           "message": {"type": "v2.entry.created", "resourceId": "etr_metrics1",
                                       "id": "evt_metrics1", "createdAt": "2026-11-26T10:00:00.000000+00:00"}}
                          ).encode()
        cls.entry_id = "msg_entry" + uuid.uuid4().hex
        status, reply, _ = SVC.request("POST", "/event", body=body, headers=FAKE.sign(body, webhook_id=cls.entry_id))
        assert status == 200, (status, reply)

        # 3. A lifecycle event: answered, no job.
        body = fixture("app-activate-requested.json")
        cls.lifecycle_id = "msg_life" + uuid.uuid4().hex
        status, _, _ = SVC.request("POST", "/lifecycle", body=body,
                                   headers=FAKE.sign(body, webhook_id=cls.lifecycle_id))
        assert status == 200, status

        # The job counts once its message is deleted, just after the worker logs "job done".
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            cls.samples, cls.types = scrape()
            if value(cls.samples, "jobs_total", kind="package", outcome="done"):
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the package job never finished:\n" + SVC.output())
        # Log lines reach stdout in batches (at most 100 ms late): wait for the job's last one and the
        # lifecycle delivery's line.
        while time.monotonic() < deadline:
            lines = log_lines()
            if (any(line.get("request_id") == cls.entry_id and line["msg"] == "job done" for line in lines) and
                    any(line.get("request_id") == cls.lifecycle_id for line in lines)):
                break
            time.sleep(0.05)

    def test_webhooks_are_counted_by_route_and_status(self):
        s = self.samples
        self.assertEqual(value(s, "webhooks_total", route="lifecycle", status="401"), 1)
        self.assertEqual(value(s, "webhooks_total", route="event", status="200"), 1)
        self.assertEqual(value(s, "webhooks_total", route="lifecycle", status="200"), 1)
        self.assertEqual(value(s, "webhooks_total", route="canvas", status="202"), 0)
        total = sum(v for (name, labels), v in s.items()
                    if name == PREFIX + "webhooks_total" and dict(labels)["route"] != "canvas")
        self.assertEqual(total, 3)
        # The changed body: the signature matches no key.
        self.assertEqual(value(s, "webhook_verification_failures_total", route="lifecycle",
                               reason="no_matching_signature"), 1)
        for reason in REASONS:
            self.assertEqual(value(s, "webhook_verification_failures_total", route="event", reason=reason), 0)
            if reason != "no_matching_signature":
                self.assertEqual(value(s, "webhook_verification_failures_total", route="lifecycle", reason=reason),
                                 0, reason)

    def test_the_work_queue_receive_lag_is_observed_for_the_job(self):
        s = self.samples
        self.assertEqual(value(s, "job_receive_lag_seconds_count", queue="work"), 1)
        lag = value(s, "job_receive_lag_seconds_sum", queue="work")
        # A worker was long-polling when the job was sent: it waited well under a minute (SentTimestamp is
        # moto's clock, the same machine's).
        self.assertGreaterEqual(lag, 0)
        self.assertLess(lag, 30)

    def test_the_packaged_entry_is_counted_from_queue_to_done(self):
        s = self.samples
        self.assertEqual(value(s, "jobs_enqueued_total", kind="package"), 1)
        self.assertEqual(value(s, "jobs_enqueued_total", kind="canvas"), 0)
        self.assertEqual(value(s, "jobs_total", kind="package", outcome="done"), 1)
        self.assertEqual(value(s, "jobs_total", kind="package", outcome="retry"), 0)
        self.assertEqual(value(s, "jobs_total", kind="package", outcome="dead_letter"), 0)
        self.assertEqual(value(s, "jobs_running"), 0)
        self.assertEqual(value(s, "job_duration_seconds_count", kind="package"), 1)
        self.assertGreater(value(s, "job_duration_seconds_sum", kind="package"), 0)
        buckets = sorted(((float(dict(labels)["le"]), v) for (name, labels), v in s.items()
                          if name == PREFIX + "job_duration_seconds_bucket" and dict(labels)["kind"] == "package"))
        self.assertEqual(buckets[-1], (float("inf"), 1))
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts), "buckets are cumulative")

    def test_process_and_configuration_gauges(self):
        s = self.samples
        self.assertEqual(value(s, "config_ready"), 1)
        self.assertGreaterEqual(value(s, "config_refresh_total", outcome="success"), 1)
        self.assertEqual(value(s, "config_refresh_total", outcome="failure"), 0)
        self.assertGreater(value(s, "process_resident_memory_bytes"), 1 << 20)
        self.assertLess(value(s, "process_resident_memory_bytes"), 1 << 30)
        self.assertLessEqual(abs(value(s, "process_start_time_seconds") - STARTED), 30)
        [(labels, v)] = [(dict(l), v) for (n, l), v in s.items() if n == PREFIX + "build_info"]
        self.assertEqual(v, 1)
        self.assertRegex(labels["version"], r"^\d+\.\d+\.\d+")

    def test_families_have_the_right_types_and_only_bounded_labels(self):
        expected = {"webhooks_total": "counter", "webhook_verification_failures_total": "counter",
                    "jobs_enqueued_total": "counter", "jobs_total": "counter",
                    "job_duration_seconds": "histogram", "jobs_running": "gauge",
                    "job_receive_lag_seconds": "histogram", "config_refresh_total": "counter",
                    "config_ready": "gauge", "process_resident_memory_bytes": "gauge",
                    "process_start_time_seconds": "gauge", "build_info": "gauge",
                    "config_refresh_age_seconds": "gauge", "stack_outputs_age_seconds": "gauge",
                    "jwks_age_seconds": "gauge"}
        self.assertEqual({k[len(PREFIX):]: v for k, v in self.types.items()}, expected)
        allowed = {"route": {"event", "lifecycle", "canvas"},
                   "kind": {"package", "canvas", "package_event", "unknown"},
                   "outcome": {"done", "retry", "dead_letter", "released", "success", "failure"},
                   "reason": REASONS, "queue": {"work", "canvas", "package_events"}}
        for (name, labels), _ in self.samples.items():
            for k, v in labels:
                if k == "status":
                    self.assertRegex(v, r"^[1-5]\d\d$", name)
                elif k in allowed:
                    self.assertIn(v, allowed[k], name)
                else:
                    self.assertIn(k, {"le", "version"}, name)
            # No delivery id, entry id or other input ever becomes a label.
            text = repr(labels)
            for leaked in (self.bad_id, self.entry_id, self.lifecycle_id, "etr_metrics1"):
                self.assertNotIn(leaked, text)

    def test_every_line_about_the_entry_delivery_carries_its_webhook_id_as_request_id(self):
        lines = log_lines()
        mine = [line for line in lines if line.get("request_id") == self.entry_id]
        msgs = [line["msg"] for line in mine]
        # Intake and the worker: start, the packaging, finish.
        for expected in ("webhook", "job started", "entry packaged", "job done"):
            self.assertIn(expected, msgs, msgs)
        # (The intake line is written after SendMessage returns, so a fast worker may log first.)
        self.assertLess(msgs.index("job started"), msgs.index("job done"))
        intake = mine[msgs.index("webhook")]
        self.assertEqual(intake["webhook_id"], self.entry_id)
        # Every line that names this entry or its work-queue message belongs to the same request.
        message_id = intake["message_id"]
        related = [line for line in lines if "etr_metrics1" in json.dumps(line) or
                   line.get("message_id") == message_id]
        self.assertGreaterEqual(len(related), 4)
        for line in related:
            self.assertEqual(line.get("request_id"), self.entry_id, line)

    def test_rejected_and_lifecycle_deliveries_log_their_own_request_id(self):
        lines = log_lines()
        [rejected] = [line for line in lines if line.get("request_id") == self.bad_id]
        self.assertEqual(rejected["msg"], "webhook verification failed")
        self.assertEqual(rejected["status"], 401)
        [answered] = [line for line in lines if line.get("request_id") == self.lifecycle_id]
        self.assertEqual((answered["msg"], answered["status"]), ("webhook", 200))
        # Lines outside any delivery (start-up, configuration) carry none.
        listening = [line for line in lines if line["msg"] == "listening"]
        self.assertTrue(listening)
        self.assertNotIn("request_id", listening[0])


class VerificationFailureReasons(unittest.TestCase):
    """Each kind of bad delivery moves its own reason. On /canvas, so that the counts MetricsAndRequestIds
    reads stay as they are whatever the order."""

    def reject(self, body, headers):
        before, _ = scrape()
        status, _, _ = SVC.request("POST", "/canvas", body=body, headers=headers)
        self.assertEqual(status, 401)
        after, _ = scrape()
        moved = {dict(labels)["reason"]: v - before[(name, labels)] for (name, labels), v in after.items()
                 if name == PREFIX + "webhook_verification_failures_total" and v != before[(name, labels)]}
        [route] = {dict(labels)["route"] for (name, labels), v in after.items()
                   if name == PREFIX + "webhook_verification_failures_total" and v != before[(name, labels)]}
        self.assertEqual(route, "canvas")
        return moved

    def test_each_rejection_counts_under_its_reason(self):
        body = fixture("canvas-created.json")
        stale = FAKE.sign(body, timestamp=int(time.time()) - 600)
        self.assertEqual(self.reject(body, stale), {"too_old": 1})

        unsigned = {k: v for k, v in FAKE.sign(body).items() if k != "webhook-signature"}
        self.assertEqual(self.reject(body, unsigned), {"missing_signature": 1})

        not_der = FAKE.sign(body, version="v1")
        self.assertEqual(self.reject(body, not_der), {"no_der_signature": 1})

        tampered = FAKE.sign(body)
        self.assertEqual(self.reject(body + b" ", tampered), {"no_matching_signature": 1})


class Ages(unittest.TestCase):
    def test_configuration_stack_outputs_and_jwks_ages_are_small_and_grow_between_scrapes(self):
        names = ("config_refresh_age_seconds", "stack_outputs_age_seconds", "jwks_age_seconds")
        first, _ = scrape()
        time.sleep(1.2)
        second, _ = scrape()
        elapsed_bound = time.time() - STARTED + 1
        for name in names:
            a, b = value(first, name), value(second, name)
            self.assertIsNotNone(a, name)
            # Read at start (the secret refreshes every 5 min, the outputs every 30, the keys hourly).
            self.assertGreaterEqual(a, 0, name)
            self.assertLess(b, elapsed_bound, name)
            self.assertGreaterEqual(b - a, 1.0, name)
            self.assertLess(b - a, 30, name)
        # One resolution at start read both: the outputs are no younger than the secret.
        self.assertGreaterEqual(value(second, "stack_outputs_age_seconds"),
                                value(second, "config_refresh_age_seconds"))


class StackOutputsRefreshLessOftenThanTheSecret(unittest.TestCase):
    def test_with_secret_ttl_1_every_refresh_rereads_the_secret_and_only_some_the_stack_outputs(self):
        """Counted, not timed: each refresh counts and restarts the configuration's age; the stack outputs are
        re-read only by some of them (every 6 x --secret-ttl), yet re-read."""
        env = base_env(MOTO.url, QuiltStackARN=SVC.env["QuiltStackARN"], BenchlingSecret="bw/metrics")
        with Service(env, args=["--secret-ttl", "1", "--workers", "0"]) as svc:
            svc.wait_ready()
            seen = []  # (refreshes so far, config age, stack outputs age), one per scrape

            def two_stack_rereads():
                status, body, _ = svc.get("/metrics")
                self.assertEqual(status, 200)
                s, _ = parse_exposition(body)
                seen.append((value(s, "config_refresh_total", outcome="success"),
                             value(s, "config_refresh_age_seconds"), value(s, "stack_outputs_age_seconds")))
                # A re-read of the outputs restarts their age.
                rereads = [i for i in range(1, len(seen)) if seen[i][2] < seen[i - 1][2]]
                return rereads if len(rereads) >= 2 else None
            first, second = wait_for(two_stack_rereads, 60, "two re-reads of the stack outputs")[:2]
        # Between two re-reads of the outputs, the secret alone was re-read several times (the configuration's
        # age restarted while the outputs' kept growing), and each refresh counted.
        self.assertGreaterEqual(seen[second][0] - seen[first][0], 3, seen)
        secret_only = [i for i in range(first + 1, second) if seen[i][1] < seen[i - 1][1]]
        self.assertGreaterEqual(len(secret_only), 2, seen)
        # A full resolution reads both: the outputs are never younger than the secret.
        self.assertTrue(all(stack >= config for _, config, stack in seen), seen)


class RequestIdWithoutWebhookId(unittest.TestCase):
    def test_a_delivery_without_a_webhook_id_gets_a_derived_request_id(self):
        # Verification is on, so this is a 401; the line still carries a request id, derived from the body.
        # On /canvas, so that the counts the other class reads stay as they are whatever the order.
        body = b'{"message": {"type": "v2.canvas.created", "note": "no id"}}'
        status, _, _ = SVC.request("POST", "/canvas", body=body, headers={"Content-Type": "application/json"})
        self.assertEqual(status, 401)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            found = [line for line in log_lines() if line["msg"] == "webhook verification failed" and
                     line.get("webhook_id") == ""]
            if found:
                break
            time.sleep(0.05)
        self.assertEqual(len(found), 1)
        self.assertRegex(found[0]["request_id"], r"^req_[0-9a-f]{24}$")


class Parser(unittest.TestCase):
    """The checker itself must reject what Prometheus would."""

    def test_rejects_malformed_lines(self):
        good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 2\n"
        self.assertEqual(parse_exposition(good)[0], {("a_total", frozenset({("x", "1")})): 2.0})
        for bad in ("# TYPE a counter\na{x=1} 2\n", "# TYPE a counter\na 2 3 4\n", "# TYPE a counter\na{x=\"1\"}\n",
                    "# TYPE a counter\na{x=\"a\"b\"} 1\n", "a 1\n", "# junk\n", "# TYPE a counter\na 1"):
            with self.assertRaises(AssertionError, msg=bad):
                parse_exposition(bad)
        escaped = '# TYPE b gauge\nb{v="q\\"\\\\\\n"} 1\n'
        self.assertEqual(parse_exposition(escaped)[0], {("b", frozenset({("v", 'q"\\\n')})): 1.0})


if __name__ == "__main__":
    unittest.main()
