"""SIGTERM ends the waits inside a job at once (issue 13 item 2): a job sleeping in the Benchling client's
retry backoff wakes, gives up with the error code `cancelled` and hands its message back itself, long before
the shutdown grace would have run out. Shares the fixtures of test_faults_benchling (moto, the fake
Benchling, a Quilt stack)."""

import signal
import unittest

import test_faults_benchling as base

RELEASED = "job interrupted by shutdown; message released"
UNFINISHED = "stopped with jobs unfinished; their messages went back to the queue"


def setUpModule():
    base.setUpModule()


def tearDownModule():
    base.BASE.stop(*base.FAKE.issued_tokens)


class SigtermDuringARetry(unittest.TestCase):
    def tearDown(self):
        base.FAKE.clear_faults()

    def test_sigterm_wakes_a_job_sleeping_in_a_benchling_retry_and_it_releases_its_message(self):
        entry = "etr_wait"
        path = "/api/v2/entries/" + entry
        base.FAKE.add_entry(entry, display_id="EXP0401", export_zip=base.MEMBERS, polls_before_done=0)
        # Every GET of the entry answers 503 asking for a minute: the job sleeps in the client's backoff, longer
        # than the shutdown grace (20 s). A long visibility timeout: the message can only be visible after the
        # exit because it was released.
        base.FAKE.fail_next(path, 503, times=None, retry_after=60)
        svc = base.new_service("bw/wait", "--workers", "1", "--visibility-timeout", "120")
        try:
            base.accept_event(svc, entry)
            # The event: once the first attempt was answered (503), the job waits to retry.
            base.wait_for(lambda: (path, 503) in base.FAKE.answered, 30, "the answer to the entry GET")
            svc.proc.send_signal(signal.SIGTERM)
            code = svc.proc.wait(90)  # a hang guard: the assertions below tell a woken job from a slept-out one
        finally:
            base.discard(svc)
        self.assertEqual(code, 0, svc.output()[-3000:])
        # Woken by the stop, the job returned within the grace and released its own message; had it slept out
        # the Retry-After, the grace would have ended first and the pool would have released it instead.
        released = [l for l in base.job_lines(svc, entry) if l.get("msg") == RELEASED]
        self.assertEqual(len(released), 1, svc.output()[-3000:])
        # Woken in the retry's sleep, or (when the stop came while the 503 was still being read) the transfer
        # itself ended by the stop: either way by the stop, not by the grace (no UNFINISHED line below).
        self.assertRegex(released[0]["error"],
                         "stopped while waiting to retry Benchling call|request to 127.0.0.1 stopped: shutting down",
                         svc.output()[-3000:])
        self.assertNotIn(UNFINISHED, svc.output())
        # No second attempt after the stop, nothing written, and the message is back in the queue.
        self.assertEqual(len([r for r in base.FAKE.requests if r["path"] == path]), 1)
        self.assertEqual(base.objects("benchling/EXP0401/"), {})
        self.assertEqual(base.queue_counts("bw/wait"), (1, 0))


if __name__ == "__main__":
    unittest.main()
