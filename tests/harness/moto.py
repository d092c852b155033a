"""moto_server on a free loopback port: AWS at the wire."""
import atexit
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from .ports import free_port, wait_for_port

ACCOUNT = "123456789012"
REGION = "us-east-1"
# Dummy credentials accepted by moto while signature checking is off.
TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class MotoServer:
    """Starts moto_server; with auth=True, signatures are verified after the first `free_actions` calls."""

    def __init__(self, auth: bool = False, free_actions: int = 0):
        self.auth = auth
        self.free_actions = free_actions
        self.proc = None
        self.port = None
        self.log = tempfile.NamedTemporaryFile(prefix="moto-", suffix=".log", delete=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "MotoServer":
        # moto_launch.py fixes one moto bug (see there) when this interpreter has moto; else plain moto_server.
        if importlib.util.find_spec("moto") is not None:
            command = [sys.executable, os.path.join(os.path.dirname(__file__), "moto_launch.py")]
        else:
            exe = shutil.which("moto_server")
            if not exe:
                raise RuntimeError("moto_server not found: run scripts/setup.sh")
            command = [exe]
        env = dict(os.environ)
        if self.auth:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(self.free_actions)
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen([*command, "-H", "127.0.0.1", "-p", str(self.port)], env=env,
                                         stdout=self.log, stderr=subprocess.STDOUT)
            try:
                wait_for_port(self.port, 20, self.proc)
                break
            except RuntimeError:
                continue  # lost the port race: try another
        else:
            raise RuntimeError("could not start moto_server")
        # A teardown that fails before stop() (e.g. the fake Benchling reporting contract violations) must not
        # leave the server running after the test process.
        atexit.register(self._reap)
        self._wait_ready()
        return self

    def _reap(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            self.log.close()
            if os.path.exists(self.log.name):
                os.unlink(self.log.name)

    def _wait_ready(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/moto-api/", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("moto_server did not become ready")

    def reset(self):
        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"",
                                     headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(req, timeout=10).read()

    def set_auth(self, free_actions):
        """Turns signature checking on after `free_actions` more calls ('inf' turns it off)."""
        req = urllib.request.Request(self.url + "/moto-api/reset-auth", method="POST",
                                     data=str(free_actions).encode(), headers={"Content-Type": "text/plain"})
        return json.loads(urllib.request.urlopen(req, timeout=10).read())

    def client(self, service: str, **creds):
        import boto3

        kwargs = dict(region_name=REGION, endpoint_url=self.url,
                      aws_access_key_id=creds.get("key", TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"]),
                      aws_secret_access_key=creds.get("secret", TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"]))
        return boto3.client(service, **kwargs)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
