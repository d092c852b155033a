"""AWS faults through the real binary: the AWS endpoint (a FaultyProxy in front of moto) unreachable at start
and after the service became ready, hung, and answering with malformed replies. The service must stay live,
say why it is not ready, answer webhooks it could not queue with 503 + Retry-After (never 2xx for an event
that is not in the work queue), leak no secret, and recover by itself, in the same process."""
import json
import re
import threading
import time
import unittest

from harness import leaks
from harness.fake_benchling import FakeBenchling
from harness.faulty_proxy import FaultyProxy
from harness.moto import MotoServer
from harness.service import Service, base_env
from harness.world import CLIENT_SECRET, World, create_work_queue, valid_secret

# Fast refreshes, so a fault after the first resolution is seen within about a second.
SERVE_ARGS = ["--workers", "0", "--secret-ttl", "1"]
TRUNCATED_XML = (b'<?xml version="1.0"?><DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/'
                 b'2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>quilt-fau')
HTML_PAGE = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


def setUpModule():
    global MOTO, FAKE, WORLD, STACK, SQS
    MOTO = MotoServer().start()
    FAKE = FakeBenchling().start()
    WORLD = World(MOTO)
    WORLD.create_bucket()
    STACK = WORLD.create_stack("quilt-faults")
    SQS = MOTO.client("sqs")  # straight to moto: what is really in the queue, whatever the proxy does


def tearDownModule():
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=20)


def new_account(secret_name) -> str:
    """A Benchling secret and its work queue (own settings hash, so own queue); returns the queue URL."""
    WORLD.create_secret(secret_name, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
    return create_work_queue(MOTO, STACK, secret_name)


def start_service(proxy, secret_name) -> Service:
    """The binary with every AWS call going through `proxy` (started by `with`)."""
    return Service(base_env(proxy.url, QuiltStackARN=STACK, BenchlingSecret=secret_name), args=SERVE_ARGS)


def poll(fetch, done, timeout, what):
    """Calls fetch() until done(value) or `timeout` seconds passed; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still {value!r} after {timeout}s")
        time.sleep(0.05)


def wait_not_ready_with_cause(svc, timeout=20):
    """The /health/ready reply once the first attempt failed (not the initial "starting")."""
    status, body, _ = poll(lambda: svc.get("/health/ready"),
                           lambda r: r[0] == 503 and isinstance(r[1], dict) and r[1]["error"]["error"] != "starting",
                           timeout, "a not-ready reason")
    return body


def entry_event(entry_id) -> bytes:
    return json.dumps({"version": "0", "baseURL": FAKE.url, "channel": "events",
                       "message": {"type": "v2.entry.created", "resourceId": entry_id, "id": "evt_" + entry_id,
                                   "createdAt": "2026-11-26T10:00:00.000000+00:00"}}).encode()


def deliver(svc, body, headers, timeout=10):
    """One delivery of a signed webhook (Benchling repeats the same headers when it retries)."""
    return svc.request("POST", "/event", body=body, headers=headers, timeout=timeout)


def queued_webhook_ids(queue_url):
    """The webhook ids of every job in the work queue (received and deleted, straight from moto)."""
    ids = []
    while True:
        got = SQS.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get("Messages", [])
        if not got:
            return ids
        for m in got:
            ids.append(json.loads(m["Body"])["webhook_id"])
            SQS.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])


class ServiceCase(unittest.TestCase):
    def assert_structured(self, error):
        """A user-facing error: what went wrong, what to do, and the facts."""
        self.assertIsInstance(error, dict)
        for key in ("error", "message", "suggestion", "details"):
            self.assertIn(key, error)
        self.assertTrue(error["message"].strip())
        self.assertTrue(error["suggestion"].strip())

    def assert_same_process_alive(self, svc, pid):
        self.assertIsNone(svc.proc.poll(), "the service exited:\n" + svc.output()[-3000:])
        self.assertEqual(svc.proc.pid, pid)
        self.assertEqual(svc.get("/health/live", timeout=2)[:2], (200, {"status": "alive"}))
        # One process, started once: no restart happened behind the harness's back.
        self.assertEqual(len(re.findall(r'"msg":"listening"', svc.output())), 1)

    def assert_refused_for_retry(self, reply, error):
        status, body, headers = reply
        self.assertEqual(status, 503, body)
        self.assertGreater(int(headers["Retry-After"]), 0)
        self.assertEqual(body["error"], error)
        self.assertTrue(body["message"].strip())
        return body


class AwsDownAtStart(ServiceCase):
    def test_unreachable_aws_is_live_not_ready_503_then_ready_in_the_same_process(self):
        queue = new_account("bw/start-refused")
        with FaultyProxy(MOTO.url) as proxy:
            proxy.down("refuse")  # nothing listens on the AWS endpoint's port
            with start_service(proxy, "bw/start-refused") as svc:
                pid = svc.proc.pid
                ready = wait_not_ready_with_cause(svc)
                self.assertEqual(ready["status"], "not ready")
                self.assert_structured(ready["error"])
                self.assertEqual(ready["error"]["error"], "transport")
                self.assertIn("cannot reach 127.0.0.1", ready["error"]["message"])
                self.assertEqual(ready["error"]["details"]["service"], "cloudformation")
                self.assertEqual(ready["error"]["details"]["action"], "DescribeStacks")
                self.assertGreaterEqual(ready["attempts"], 1)
                self.assertIn("next_retry_ms", ready)  # it says it will try again
                status, health, _ = svc.get("/health")
                self.assertEqual((status, health["mode"]), (200, "degraded"))
                self.assertEqual(svc.get("/health/live")[:2], (200, {"status": "alive"}))

                body = entry_event("etr_start1")
                headers = FAKE.sign(body)
                refused = self.assert_refused_for_retry(deliver(svc, body, headers), "Service not ready")
                self.assertIn("cannot reach", refused["message"])  # the cause, not just "unavailable"

                proxy.up()  # the same port listens again
                svc.wait_ready(timeout=40)
                self.assert_same_process_alive(svc, pid)
                status, reply, _ = deliver(svc, body, headers)  # Benchling delivers the same event again
                self.assertEqual((status, reply["status"]), (200, "ACCEPTED"))
                self.assertEqual(queued_webhook_ids(queue), [headers["webhook-id"]])

    def test_hung_aws_does_not_hold_up_health_or_webhooks_and_heals(self):
        queue = new_account("bw/start-hung")
        with FaultyProxy(MOTO.url) as proxy:
            proxy.down("blackhole")  # requests are read and never answered
            with start_service(proxy, "bw/start-hung") as svc:
                pid = svc.proc.pid
                poll(lambda: proxy.calls.get("DescribeStacks", 0), lambda n: n >= 1, 10,
                     "the first DescribeStacks to be held")
                # The resolver is stuck inside a call; nothing that answers Benchling or ECS may wait for it.
                self.assertEqual(svc.get("/health/live", timeout=2)[:2], (200, {"status": "alive"}))
                status, ready, _ = svc.get("/health/ready", timeout=2)
                self.assertEqual(status, 503)
                self.assert_structured(ready["error"])
                body = entry_event("etr_hung1")
                headers = FAKE.sign(body)
                self.assert_refused_for_retry(deliver(svc, body, headers, timeout=2), "Service not ready")

                proxy.up()  # the held call is reset, the client retries and gets moto
                svc.wait_ready(timeout=40)
                self.assert_same_process_alive(svc, pid)
                self.assertEqual(deliver(svc, body, headers)[0], 200)
                self.assertEqual(queued_webhook_ids(queue), [headers["webhook-id"]])


class AwsDownLater(ServiceCase):
    def test_queue_unreachable_after_ready_answers_503_and_only_acknowledged_events_are_queued(self):
        queue = new_account("bw/later")
        acknowledged, refused_only = [], []
        with FaultyProxy(MOTO.url) as proxy, start_service(proxy, "bw/later") as svc:
            svc.wait_ready()
            pid = svc.proc.pid
            for i, mode in enumerate(("refuse", "reset")):
                with self.subTest(mode=mode):
                    before = entry_event(f"etr_before{i}")
                    h_before = FAKE.sign(before)
                    self.assertEqual(deliver(svc, before, h_before)[0], 200)
                    acknowledged.append(h_before["webhook-id"])

                    proxy.down(mode)
                    retried = entry_event(f"etr_retried{i}")
                    h_retried = FAKE.sign(retried)
                    refused = self.assert_refused_for_retry(deliver(svc, retried, h_retried), "Work queue unavailable")
                    self.assertIn("cannot reach", refused["message"])
                    self.assertTrue(refused["suggestion"].strip())
                    lost = entry_event(f"etr_lost{i}")  # refused, and Benchling never retries it here
                    h_lost = FAKE.sign(lost)
                    self.assert_refused_for_retry(deliver(svc, lost, h_lost), "Work queue unavailable")
                    refused_only.append(h_lost["webhook-id"])

                    # The configuration resolved once stays in use (DESIGN: a failed refresh keeps the last
                    # good value), so /health/ready stays 200 and /health says the refresh is failing.
                    status, health, _ = poll(lambda: svc.get("/health"),
                                             lambda r: "configuration refresh failing" in r[1].get("warning", ""),
                                             10, "/health to report the failing refresh")
                    self.assertIn("cannot reach", health["warning"])
                    status, ready, _ = svc.get("/health/ready")
                    self.assertEqual((status, ready["status"]), (200, "ready"))
                    self.assertEqual(svc.get("/health/live")[:2], (200, {"status": "alive"}))

                    proxy.up()
                    status, reply, _ = deliver(svc, retried, h_retried)  # Benchling's retry of the refused one
                    self.assertEqual((status, reply["status"]), (200, "ACCEPTED"))
                    acknowledged.append(h_retried["webhook-id"])
                    poll(lambda: svc.get("/health")[1], lambda h: "warning" not in h, 10,
                         "/health to drop the warning once AWS answers again")
                    self.assert_same_process_alive(svc, pid)
        queued = queued_webhook_ids(queue)
        self.assertEqual(sorted(queued), sorted(acknowledged))  # each acknowledged event once, nothing else
        self.assertFalse(set(queued) & set(refused_only))

    def test_hung_queue_answers_503_within_benchlings_ack_timeout(self):
        queue = new_account("bw/later-hung-503")
        with FaultyProxy(MOTO.url) as proxy, start_service(proxy, "bw/later-hung-503") as svc:
            svc.wait_ready()
            pid = svc.proc.pid
            proxy.down("blackhole")  # SQS reads the request and never answers
            try:
                body = entry_event("etr_hung503")
                headers = FAKE.sign(body)
                try:
                    reply = deliver(svc, body, headers, timeout=3)  # Benchling's ACK timeout
                except OSError as e:
                    self.fail(f"no answer within Benchling's 3 s ACK timeout while SQS hangs: {e!r}")
                self.assert_refused_for_retry(reply, "Work queue unavailable")
            finally:
                proxy.up()
            self.assert_same_process_alive(svc, pid)
            self.assertEqual(queued_webhook_ids(queue), [])  # refused, so not queued

    def test_hung_queue_keeps_the_service_live_and_the_held_delivery_is_never_2xx_unless_queued(self):
        queue = new_account("bw/later-hung")
        with FaultyProxy(MOTO.url) as proxy, start_service(proxy, "bw/later-hung") as svc:
            svc.wait_ready()
            pid = svc.proc.pid
            proxy.down("blackhole")
            body = entry_event("etr_held")
            headers = FAKE.sign(body)
            result = {}
            held = threading.Thread(target=lambda: result.update(reply=deliver(svc, body, headers, timeout=60)))
            held.start()
            try:
                poll(lambda: proxy.calls.get("SendMessage", 0), lambda n: n >= 1, 10, "SendMessage to be held")
                self.assertEqual(svc.get("/health/live", timeout=2)[:2], (200, {"status": "alive"}))
                self.assertEqual(svc.get("/health/ready", timeout=2)[0], 200)
                self.assertNotIn("reply", result)  # no 2xx while its job is not in the queue
            finally:
                proxy.up()  # the held SendMessage is reset; the retry reaches moto
                held.join(60)
            status, reply, reply_headers = result["reply"]
            if status != 200:  # a service that gives up on a hung queue must ask for the delivery again
                self.assert_refused_for_retry((status, reply, reply_headers), "Work queue unavailable")
                self.assertEqual(queued_webhook_ids(queue), [])
                status, reply, _ = deliver(svc, body, headers)
            self.assertEqual((status, reply["status"]), (200, "ACCEPTED"))
            self.assertEqual(queued_webhook_ids(queue), [headers["webhook-id"]])  # once, whichever way
            self.assert_same_process_alive(svc, pid)


def truncated_after_client_secret(reply: bytes) -> bytes:
    """Moto's GetSecretValue reply cut just after the client secret: malformed, with the secret inside."""
    text = reply.decode()
    marker = text.index(CLIENT_SECRET) + len(CLIENT_SECRET)
    return text[:marker + 3].encode()


class MalformedReplies(ServiceCase):
    # action, status, body (or a function of moto's reply, which then is forwarded first), content type,
    # and what the error must say.
    AT_START = [
        ("DescribeStacks", 200, TRUNCATED_XML, "text/xml", "CloudFormation DescribeStacks reply is unreadable"),
        ("DescribeStacks", 500, HTML_PAGE, "text/html", "Failed to describe stack"),
        ("GetSecretValue", 200, b"<html><body>Service Unavailable</body></html>", "text/html",
         "Secrets Manager GetSecretValue reply is unreadable: not valid JSON"),
        ("GetSecretValue", 200, truncated_after_client_secret, "application/x-amz-json-1.1",
         "Secrets Manager GetSecretValue reply"),
        ("GetQueueAttributes", 200, b'{"Attributes": {"FifoQueue": ', "application/x-amz-json-1.0",
         "SQS GetQueueAttributes reply is unreadable"),
        ("GetQueueAttributes", 200, b'{"Attributes": ["true"]}', "application/x-amz-json-1.0",
         "SQS GetQueueAttributes reply is unreadable"),
    ]

    def test_malformed_replies_at_start_give_a_clear_not_ready_error_and_heal(self):
        new_account("bw/malformed-start")
        for action, status, body, content_type, says in self.AT_START:
            with self.subTest(action=action, status=status, body=body.__name__ if callable(body) else body[:30]):
                with FaultyProxy(MOTO.url) as proxy:
                    proxy.reply(action, status=status, body=body, content_type=content_type, times=10_000,
                                forward=callable(body))
                    with start_service(proxy, "bw/malformed-start") as svc:
                        pid = svc.proc.pid
                        ready = wait_not_ready_with_cause(svc)
                        self.assert_structured(ready["error"])
                        self.assertIn(says, ready["error"]["message"])
                        self.assertEqual(svc.get("/health/live")[:2], (200, {"status": "alive"}))
                        event = entry_event("etr_malformed")
                        refused = self.assert_refused_for_retry(deliver(svc, event, FAKE.sign(event)),
                                                                "Service not ready")
                        self.assertIn(says, refused["message"])
                        self.assertGreater(proxy.failed, 0)

                        proxy.clear()
                        svc.wait_ready(timeout=40)
                        self.assert_same_process_alive(svc, pid)
                    self.assertEqual(svc.proc.returncode, 0)  # a clean stop, not a crash
                    self.assertNotIn("Traceback", svc.output())

    def test_500_html_reply_names_the_http_status(self):
        new_account("bw/malformed-500")
        with FaultyProxy(MOTO.url) as proxy:
            proxy.reply("DescribeStacks", status=500, body=HTML_PAGE, content_type="text/html", times=10_000)
            with start_service(proxy, "bw/malformed-500") as svc:
                error = wait_not_ready_with_cause(svc)["error"]
                self.assertEqual(error["details"]["HTTP status"], "500")
                self.assertEqual(error["details"]["action"], "DescribeStacks")
                self.assertLess(len(json.dumps(error)), 4096)  # the HTML page is not pasted into the error
                self.assertGreaterEqual(proxy.calls["DescribeStacks"], 4)  # a 5xx is retried before giving up

    # name, status, body, content type, forwarded first, what the 503 must say.
    SEND_MESSAGE = [
        ("html page", 200, HTML_PAGE, "text/html", False, "SQS SendMessage reply is unreadable: not valid JSON"),
        ("truncated JSON", 200, b'{"MessageId": "5fea7756-0ea4', "application/x-amz-json-1.0", False,
         "SQS SendMessage reply is unreadable: not valid JSON"),
        ("no MessageId", 200, b'{"MD5OfMessageBody": "x"}', "application/x-amz-json-1.0", False,
         "SQS SendMessage reply is unreadable: no MessageId"),
        ("JSON array", 200, b'["MessageId"]', "application/x-amz-json-1.0", False,
         "SQS SendMessage reply is unreadable: not a JSON object"),
        ("500 html", 500, HTML_PAGE, "text/html", False, "AWS sqs SendMessage failed"),
        # The message reached the queue but its answer was lost: 503, and the retry is deduplicated.
        ("garbage after delivery", 200, b"\x00\xff not json", "application/x-amz-json-1.0", True,
         "SQS SendMessage reply is unreadable: not valid JSON"),
    ]

    def test_aws_5xx_is_not_blamed_on_credentials(self):
        new_account("bw/5xx-wording")
        for action in ("DescribeStacks", "GetSecretValue"):
            with self.subTest(action=action):
                with FaultyProxy(MOTO.url) as proxy:
                    proxy.reply(action, status=500, body=HTML_PAGE, content_type="text/html", times=10_000)
                    with start_service(proxy, "bw/5xx-wording") as svc:
                        error = wait_not_ready_with_cause(svc)["error"]
                        self.assertNotIn("credentials", error["suggestion"].lower(), error)
                        self.assertIn("retry", error["suggestion"].lower(), error)

    def test_malformed_send_message_replies_answer_503_and_every_acknowledged_event_is_queued_once(self):
        queue = new_account("bw/malformed-send")
        acknowledged = []
        with FaultyProxy(MOTO.url) as proxy, start_service(proxy, "bw/malformed-send") as svc:
            svc.wait_ready()
            pid = svc.proc.pid
            for i, (name, status, body, content_type, forward, says) in enumerate(self.SEND_MESSAGE):
                with self.subTest(reply=name):
                    proxy.reply("SendMessage", status=status, body=body, content_type=content_type, times=10_000,
                                forward=forward)
                    event = entry_event(f"etr_send{i}")
                    headers = FAKE.sign(event)
                    refused = self.assert_refused_for_retry(deliver(svc, event, headers), "Work queue unavailable")
                    self.assertIn(says, refused["message"])
                    self.assertTrue(refused["suggestion"].strip())
                    self.assertEqual(svc.get("/health/live")[:2], (200, {"status": "alive"}))
                    proxy.clear()
                    status, reply, _ = deliver(svc, event, headers)
                    self.assertEqual((status, reply["status"]), (200, "ACCEPTED"))
                    acknowledged.append(headers["webhook-id"])
            self.assert_same_process_alive(svc, pid)
        self.assertEqual(sorted(queued_webhook_ids(queue)), sorted(acknowledged))

    def test_malformed_refresh_replies_keep_the_last_good_configuration_and_clear_when_sane(self):
        queue = new_account("bw/malformed-refresh")
        with FaultyProxy(MOTO.url) as proxy, start_service(proxy, "bw/malformed-refresh") as svc:
            svc.wait_ready()
            pid = svc.proc.pid
            proxy.reply("DescribeStacks", body=TRUNCATED_XML, content_type="text/xml", times=10_000)
            status, health, _ = poll(lambda: svc.get("/health"),
                                     lambda r: "configuration refresh failing" in r[1].get("warning", ""),
                                     10, "/health to report the failing refresh")
            self.assertIn("CloudFormation DescribeStacks reply is unreadable", health["warning"])
            self.assertEqual(svc.get("/health/ready")[0], 200)
            self.assertEqual(svc.get("/config")[0], 200)  # the last good configuration, still served
            failures = refresh_failures(svc)
            self.assertGreater(failures, 0)
            event = entry_event("etr_refresh")
            headers = FAKE.sign(event)
            self.assertEqual(deliver(svc, event, headers)[0], 200)  # the queue itself still works

            proxy.clear()
            poll(lambda: svc.get("/health")[1], lambda h: "warning" not in h, 10,
                 "/health to drop the warning once the replies are sane")
            self.assert_same_process_alive(svc, pid)
        self.assertEqual(queued_webhook_ids(queue), [headers["webhook-id"]])


def refresh_failures(svc) -> float:
    req = svc.request("GET", "/metrics")
    text = req[1] if isinstance(req[1], str) else ""
    m = re.search(r'benchling_webhook_config_refresh_total\{outcome="failure"\} (\S+)', text)
    return float(m.group(1)) if m else 0.0


if __name__ == "__main__":
    unittest.main()
