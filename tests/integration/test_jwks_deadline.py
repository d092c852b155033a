"""Benchling drops a delivery that is not answered within 3 s. A delivery signed by a key the service does not
hold makes it refetch the JWKS; whatever the JWKS endpoint does (hang, answer slowly), the delivery is answered
in time: 503 + Retry-After while the keys cannot be confirmed (a rotated key must not be refused as a forgery),
and Benchling's retry verifies once the background fetch has landed. Real binary, moto, fake Benchling."""
import concurrent.futures
import json
import socket
import time
import unittest

from harness.fake_benchling import JWKS, FakeBenchling
from harness.moto import MotoServer
from harness.service import Service, base_env
from harness.world import World, create_work_queue, valid_secret

BENCHLING_DEADLINE = 3.0  # seconds: what Benchling waits for an answer


def setUpModule():
    global MOTO, WORLD, STACK
    MOTO = MotoServer().start()
    WORLD = World(MOTO)
    WORLD.create_bucket("user-bucket")
    STACK = WORLD.create_stack("quilt-jwks")


def tearDownModule():
    MOTO.stop()


def lifecycle_body(n):
    return json.dumps({"version": "0", "channel": "app_signals", "installationId": f"inst_{n}",
                       "message": {"type": "v2.app.installed", "id": f"evt_{n}"}}).encode()


def deliver(svc, fake, n, key=None):
    """POST /lifecycle as Benchling would, giving up (as Benchling does) after 3 s."""
    body = lifecycle_body(n)
    try:
        return svc.request("POST", "/lifecycle", body=body, headers=fake.sign(body, key=key),
                           timeout=BENCHLING_DEADLINE)
    except (TimeoutError, socket.timeout) as e:  # Benchling would have dropped it
        raise AssertionError(f"delivery {n} not answered within {BENCHLING_DEADLINE} s") from e


class JwksDeadline(unittest.TestCase):
    def start(self, secret):
        fake = FakeBenchling().start()
        self.addCleanup(fake.stop)
        WORLD.create_secret(secret, valid_secret(jwks_url=fake.jwks_url, api_url=fake.url))
        create_work_queue(MOTO, STACK, secret)
        svc = Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=secret)).start()
        self.addCleanup(svc.stop)
        svc.wait_ready()
        return fake, svc

    def test_a_hung_jwks_endpoint_never_holds_a_delivery_past_benchlings_deadline(self):
        fake, svc = self.start("bw/jwks-hung")
        old_key = fake.keys[-1]
        fake.rotate()  # Benchling signs with a key the service has not seen
        fake.delay(60, fake.jwks_path)  # and the JWKS endpoint hangs (longer than the service's 5 s timeout)

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda n: deliver(svc, fake, n), range(32)))
        for status, body, headers in answers:
            self.assertEqual(status, 503, body)
            self.assertIn("Retry-After", headers)
            self.assertEqual(body["error"], "Webhook verification keys unavailable")
        self.assertEqual(fake.calls[JWKS], 2)  # the start-up fetch + one refetch, shared by every miss

        # Keys the service holds still verify at once: the hang costs only deliveries it cannot check.
        status, _, _ = deliver(svc, fake, 100, key=old_key)
        self.assertEqual(status, 200)
        # A forged delivery while the keys are unknown is not accepted either.
        status, _, _ = deliver(svc, fake, 101)
        self.assertEqual(status, 503)
        metrics = svc.get("/metrics")[1]
        self.assertRegex(metrics, r'webhook_verification_failures_total\{route="lifecycle",reason="keys_unavailable"\} 33')

    def test_a_slow_jwks_endpoint_answers_503_then_benchlings_retry_verifies(self):
        fake, svc = self.start("bw/jwks-slow")
        fake.rotate()
        fake.delay(1.5, fake.jwks_path)  # slower than the 0.4 s a delivery waits, faster than the 5 s timeout
        status, body, headers = deliver(svc, fake, 1)
        self.assertEqual(status, 503, body)
        self.assertIn("Retry-After", headers)
        # The fetch went on in the background; Benchling's retry of the same delivery (same headers) verifies.
        self.assertTrue(fake.wait_until(lambda f: f.jwks_fetches >= 2, timeout=10))
        body = lifecycle_body(1)
        headers = fake.sign(body, webhook_id="msg_retry_1")
        statuses = []
        for _ in range(50):  # the keys land just after the JWKS reply: retry as Benchling would, a little later
            status, _, _ = svc.request("POST", "/lifecycle", body=body, headers=headers, timeout=BENCHLING_DEADLINE)
            statuses.append(status)
            if status == 200:
                break
            time.sleep(0.1)
        self.assertEqual(statuses[-1], 200, statuses)
        self.assertEqual(fake.calls[JWKS], 2)  # the refetch served the retry; nothing fetched twice


if __name__ == "__main__":
    unittest.main()
