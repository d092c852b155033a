"""Runs the real benchling-webhook binary the way ECS does: the two settings and nothing else
(plus the AWS endpoint and test credentials, the only differences from production)."""
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request

from . import leaks
from .moto import TEST_CREDENTIALS

BINARY = os.environ.get("BW_BINARY", "build/benchling-webhook")


def base_env(moto_url=None, **extra) -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tempfile.gettempdir(),
           "AWS_EC2_METADATA_DISABLED": "true"}
    env.update(TEST_CREDENTIALS)
    if moto_url:
        env["AWS_ENDPOINT_URL"] = moto_url
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def run_cli(args, env, timeout=60):
    """Runs a CLI subcommand to completion; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BINARY, *args], env=env, capture_output=True, text=True, timeout=timeout)
    leaks.record(p.stdout)
    leaks.record(p.stderr)
    return p.returncode, p.stdout, p.stderr


class Service:
    """`benchling-webhook serve` on a kernel-chosen port (PORT=0), read back from its log."""

    def __init__(self, env: dict, args=()):
        self.env = dict(env)
        self.env.setdefault("PORT", "0")
        self.args = list(args)
        self.proc = None
        self.port = None
        self.lines = []
        self._lock = threading.Lock()
        self._port_seen = threading.Event()

    def start(self, timeout=20) -> "Service":
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen([BINARY, "serve", *self.args], env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        if not self._port_seen.wait(timeout):
            self.stop()
            raise RuntimeError("service did not report a port:\n" + self.output())
        return self

    def _pump(self):
        for line in self.proc.stdout:
            with self._lock:
                self.lines.append(line)
            m = re.search(r'"port":(\d+)', line)
            if m and "listening" in line and not self._port_seen.is_set():
                self.port = int(m.group(1))
                self._port_seen.set()

    def output(self) -> str:
        with self._lock:
            return "".join(self.lines)

    def get(self, path, timeout=10):
        """GET → (status, parsed JSON body, headers)."""
        return self.request("GET", path, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=10):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method, data=body,
                                     headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                leaks.record(raw)
                return r.status, _json(raw), dict(r.headers)
        except urllib.error.HTTPError as e:
            raw = e.read()
            leaks.record(raw)
            return e.code, _json(raw), dict(e.headers)

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        status, body = None, None
        while time.monotonic() < deadline:
            status, body, _ = self.get("/health/ready")
            if status == 200:
                return body
            time.sleep(0.05)
        raise TimeoutError(f"not ready after {timeout}s: {status} {body}\n{self.output()}")

    def stop(self, sig=None):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate() if sig is None else self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self._pump_thread.join(5)  # drain the last lines before closing the pipe
            self.proc.stdout.close()
            leaks.record(self.output())
        return self.proc.returncode if self.proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _json(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")
