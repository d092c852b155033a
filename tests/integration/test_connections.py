"""Slow and silent connections against the real binary: slow-loris header tricklers, half-open clients
(connected and silent, a partial request, a body that stops midway, a client that never reads) are
bounded by the server's timeouts and limits and never starve other clients.

A normal request must be answered while hundreds of bad connections are held (they are checked to be
still open afterwards): served at all, not how fast, which is bench/'s business."""
import os
import resource
import select
import socket
import threading
import time
import unittest

from harness import leaks
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.service import Service, base_env
from harness.waiting import log_lines, proc_status, wait_for
from harness.world import CLIENT_SECRET, World, create_work_queue, valid_secret

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "benchling-events")

READ_TIMEOUT = 30  # ServerOptions::read_timeout: the whole request must arrive within this
SLACK = 6  # seconds of scheduling slack on top of a server timeout


def fixture(name) -> bytes:
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def setUpModule():
    global MOTO, FAKE, WORLD, STACK, SVC
    # Hundreds of sockets on our side: lift the soft fd limit (often 1024) as far as the hard one allows.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4096 if hard == resource.RLIM_INFINITY else min(4096, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    MOTO = MotoServer().start()
    FAKE = FakeBenchling().start()
    WORLD = World(MOTO)
    WORLD.create_bucket()
    WORLD.create_secret("bw/conns", valid_secret(jwks_url=FAKE.jwks_url))
    STACK = WORLD.create_stack("quilt-conns")
    create_work_queue(MOTO, STACK, "bw/conns")
    SVC = start_service()


def tearDownModule():
    SVC.stop()
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=5)


def start_service() -> Service:
    svc = Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="bw/conns"), args=["--workers", "0"])
    svc.start()
    svc.wait_ready()
    return svc


# ------------------------------------------------------------------------------------------ helpers

def settled_fds(svc, timeout=10.0) -> int:
    """The server's fd count once connections of earlier tests have finished closing (stable for 0.5 s)."""
    deadline = time.monotonic() + timeout
    last, since = proc_status(svc.proc.pid)["fds"], time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < 0.5:
        time.sleep(0.05)
        fds = proc_status(svc.proc.pid)["fds"]
        if fds != last:
            last, since = fds, time.monotonic()
    return last


def wait_for_server_fds(svc, at_least, timeout=10.0) -> int:
    """Waits until the server holds `at_least` fds: proof that it accepted the connections we opened."""
    deadline = time.monotonic() + timeout
    fds = proc_status(svc.proc.pid)["fds"]
    while fds < at_least and time.monotonic() < deadline:
        time.sleep(0.05)
        fds = proc_status(svc.proc.pid)["fds"]
    return fds


def connect(svc) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", svc.port), timeout=5)
    s.setblocking(False)
    return s


def closed_by_server(s) -> bool:
    """True when the server has closed (EOF or reset); never blocks. Data that arrives is discarded."""
    try:
        while True:
            readable, _, _ = select.select([s], [], [], 0)
            if not readable:
                return False
            if s.recv(65536) == b"":
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True


def close_all(socks):
    for s in socks:
        s.close()


class Trickler(threading.Thread):
    """Sends one more byte of a never-ending header to each socket every `interval` seconds (slow-loris)."""

    PREFIX = b"POST /event HTTP/1.1\r\nHost: webhook\r\nX-Slow: "

    def __init__(self, socks, interval=1.0):
        super().__init__(daemon=True)
        self.socks = list(socks)
        self.interval = interval
        self.sent = {s: 0 for s in self.socks}
        self.cut = set()  # sockets the server closed
        self.stop_event = threading.Event()

    def run(self):
        while not self.stop_event.is_set():
            for s in self.socks:
                if s in self.cut:
                    continue
                n = self.sent[s]
                try:
                    s.send(self.PREFIX[n:n + 1] or b"a")
                    self.sent[s] = n + 1
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    self.cut.add(s)
            self.stop_event.wait(self.interval)

    def stop(self):
        self.stop_event.set()
        self.join(5)


def normal_requests(svc):
    """One of each thing a real client does: a health probe, a synchronous signed webhook, a signed
    webhook that is enqueued. Returns [(what, status, body)]."""
    lifecycle = fixture("app-installed.json")
    event = fixture("entry-created.json")
    results = []
    status, body, _ = svc.get("/health/live", timeout=10)
    results.append(("GET /health/live", status, body))
    status, body, _ = svc.request("POST", "/lifecycle", body=lifecycle, headers=FAKE.sign(lifecycle), timeout=10)
    results.append(("POST /lifecycle", status, body))
    status, body, _ = svc.request("POST", "/event", body=event, headers=FAKE.sign(event), timeout=10)
    results.append(("POST /event", status, body))
    return results


EXPECTED_STATUS = {"GET /health/live": 200, "POST /lifecycle": 200, "POST /event": 200}


class SlowAndSilentConnections(unittest.TestCase):
    def assert_served(self, svc, rounds, pause=0.5):
        """Each normal request answered with its usual status (the client gives up after 10 s)."""
        for _ in range(rounds):
            for what, status, body in normal_requests(svc):
                self.assertEqual(status, EXPECTED_STATUS[what], (what, body))
            time.sleep(pause)

    def test_normal_clients_are_answered_while_hundreds_of_slow_and_silent_connections_are_held(self):
        base_fds = settled_fds(SVC)
        loris = [connect(SVC) for _ in range(300)]
        silent = [connect(SVC) for _ in range(100)]  # connected, nothing sent
        partial = [connect(SVC) for _ in range(100)]  # part of a request line, then nothing
        socks = loris + silent + partial
        trickler = Trickler(loris)
        try:
            for s in partial:
                s.send(b"POST /lifecycle HTTP/1.1\r\nHost: webhook\r\nContent-Le")
            trickler.start()
            held = wait_for_server_fds(SVC, base_fds + len(socks))
            self.assertGreaterEqual(held, base_fds + len(socks), "the server did not accept every connection")
            self.assert_served(SVC, rounds=6, pause=1.0)
            # The bad connections were held all along (not refused): the server still has them open.
            self.assertFalse([s for s in socks if closed_by_server(s)])
            self.assertFalse(trickler.cut)
            self.assertGreater(min(trickler.sent.values()), 5, "the tricklers stopped sending")
        finally:
            trickler.stop()
            close_all(socks)

    def test_trickled_partial_and_stalled_requests_are_dropped_within_the_read_timeout(self):
        """The read timeout bounds the whole request from its first byte: a client that keeps sending one
        byte a second is cut like one that went silent. A connection that never sent a byte waits for the
        (much longer) keep-alive timeout instead: the load balancer closes those first."""
        loris = [connect(SVC) for _ in range(50)]
        partial = [connect(SVC) for _ in range(50)]
        mid_body = [connect(SVC) for _ in range(50)]
        silent = [connect(SVC) for _ in range(20)]
        trickler = Trickler(loris)
        start = time.monotonic()
        try:
            trickler.start()
            for s in partial:
                s.send(b"POST /lifecycle HTTP/1.1\r\nHost: webhook\r\n")
            for s in mid_body:  # 10 of the 1000 body bytes announced, then nothing
                s.send(b"POST /event HTTP/1.1\r\nHost: webhook\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 1000\r\n\r\n" + b'{"message"')
            closed_at = {}
            pending = loris + partial + mid_body
            while pending and time.monotonic() - start < READ_TIMEOUT + SLACK:
                for s in pending:
                    if closed_by_server(s):
                        closed_at[s] = time.monotonic() - start
                pending = [s for s in pending if s not in closed_at]
                time.sleep(0.2)
            for name, group in (("trickled headers", loris), ("partial headers", partial),
                                ("stalled body", mid_body)):
                late = [s for s in group if s not in closed_at]
                self.assertFalse(late, f"{len(late)} {name} connections still open after "
                                       f"{READ_TIMEOUT + SLACK}s (read timeout {READ_TIMEOUT}s)")
            # Bounded by the read timeout, not cut early either (the timeout is the rule, not luck).
            self.assertGreater(min(closed_at.values()), READ_TIMEOUT - SLACK)
            # ...although the tricklers kept sending a byte a second until they were cut.
            self.assertGreaterEqual(min(trickler.sent[s] for s in loris), READ_TIMEOUT - SLACK)
            self.assertFalse([s for s in silent if closed_by_server(s)],
                             "an idle connection was closed at the read timeout, not the keep-alive timeout")
            self.assert_served(SVC, rounds=1)
        finally:
            trickler.stop()
            close_all(loris + partial + mid_body + silent)

    def test_a_client_that_never_reads_its_responses_does_not_block_others(self):
        # Pipelined requests, never read: the server's writes back up until its send blocks; that must
        # hold up only this connection.
        hog = connect(SVC)
        request = b"GET /health/live HTTP/1.1\r\nHost: webhook\r\n\r\n"
        batch = request * 256
        deadline = time.monotonic() + 20
        blocked_since = None
        while time.monotonic() < deadline:
            try:
                hog.send(batch)
                blocked_since = None
            except BlockingIOError:
                blocked_since = blocked_since or time.monotonic()
                if time.monotonic() - blocked_since > 1.0:
                    break  # the server stopped reading: its responses fill every buffer between us
                time.sleep(0.05)
        self.assertIsNotNone(blocked_since, "could not back up the server's writes")
        # A client that sent a full request, then closed its read side without reading.
        deaf = [connect(SVC) for _ in range(50)]
        for s in deaf:
            s.send(request)
            s.shutdown(socket.SHUT_RD)
        try:
            self.assert_served(SVC, rounds=3)
        finally:
            close_all([hog, *deaf])
        self.assert_served(SVC, rounds=1)

    def test_idle_connections_take_no_threads(self):
        """Hundreds of idle connections are held by the I/O threads, not a thread each. (Their memory is
        bench/idle_connections.py's business.)"""
        self.assert_served(SVC, rounds=1, pause=0)  # warm: every pool thread exists
        settled_fds(SVC)  # connections of earlier tests closed
        before = proc_status(SVC.proc.pid)
        idle = [connect(SVC) for _ in range(500)]
        try:
            held = wait_for_server_fds(SVC, before["fds"] + len(idle))
            self.assertGreaterEqual(held, before["fds"] + len(idle))
            # A request after the last accept: the server has done whatever it does per connection by now.
            self.assert_served(SVC, rounds=1, pause=0)
            self.assertEqual(proc_status(SVC.proc.pid)["threads"], before["threads"],
                             "connections must not get threads")
            self.assertFalse([s for s in idle if closed_by_server(s)])
        finally:
            close_all(idle)


DESCRIPTOR_WARNING = "accept failed: out of file descriptors; closing idle connections"


class FileDescriptorExhaustion(unittest.TestCase):
    """The process runs out of file descriptors before the connection limit (a low `nofile` ulimit):
    accept() fails with EMFILE while the kernel keeps queueing connections. The server closes the connection
    idle longest for each one it cannot take, and says so in the log once, not once per failure (at most one
    line per 10 s, http/server.cpp). Its CPU while out of descriptors is bench/idle_connections.py's."""

    def test_out_of_file_descriptors_the_server_sheds_idle_connections_keeps_answering_and_logs_once(self):
        svc = start_service()
        socks = []
        try:
            pid = svc.proc.pid
            base = proc_status(pid)
            _, hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)
            resource.prlimit(pid, resource.RLIMIT_NOFILE, (base["fds"] + 40, hard))
            lines_before = len(svc.lines)
            socks = [connect(svc) for _ in range(100)]  # 60 more than the server can take

            def warnings():
                return [l for l in log_lines(svc.lines[lines_before:]) if l.get("msg") == DESCRIPTOR_WARNING]
            first = wait_for(warnings, 20, "the out-of-descriptors warning", lambda: svc.output()[-3000:])[0]
            self.assertEqual(first["level"], "WARNING")
            self.assertEqual(first["occurrences"], 1)  # the first of a burst, logged at once
            self.assertIn("open files", first["error"])  # the errno's own words: Too many open files
            # Silent connections hold every fd: the oldest are shed, so a client that sends a request is
            # still answered, again and again.
            for _ in range(3):
                status, _, _ = svc.get("/health/live", timeout=10)
                self.assertEqual(status, 200)
            # The kernel's queue of our connections drains through one shed connection each.
            def fifty_shed():
                shed = [s for s in socks if closed_by_server(s)]
                return shed if len(shed) >= 50 else None
            shed = wait_for(fifty_shed, 30, "50 idle connections shed", lambda: svc.output()[-3000:])
            self.assertIsNone(svc.proc.poll())
            # Our connections closed, descriptors are free again: still answered.
            close_all(socks)
            socks = []
            status, _, _ = svc.get("/health/live", timeout=10)
            self.assertEqual(status, 200)
            self.assertEqual(svc.stop(), 0)  # every line it wrote is in svc.lines now
            # Every shed followed a failed accept, each of which would have been a line without the throttle.
            logged = warnings()
            self.assertGreaterEqual(len(logged), 1)
            self.assertLess(len(logged), len(shed), logged)
            self.assertFalse([l for l in log_lines(svc.lines[lines_before:])
                              if l.get("level") in ("ERROR", "CRITICAL")])
        finally:
            close_all(socks)
            svc.stop()


if __name__ == "__main__":
    unittest.main()
