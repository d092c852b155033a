"""A fake Benchling on loopback: publishes a JWKS and signs webhooks the way Benchling does.

The signer is Python `cryptography` (ECDSA P-256 / SHA-256, DER signatures), independent of the
service's OpenSSL verifier, so a bug in one cannot cancel out in the other. Keys are made per run and
never written to disk.
"""
import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec


def _b64url(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()


class FakeBenchling:
    def __init__(self, app_definition_id="appdef_wqFfaXBVMu"):
        self.app_definition_id = app_definition_id
        self.keys = [ec.generate_private_key(ec.SECP256R1())]
        self.jwks_fetches = 0
        self.jwks_status = 200  # set to 500 to make the JWKS endpoint fail
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                if self.path == fake.jwks_path:
                    with fake._lock:
                        fake.jwks_fetches += 1
                        status = fake.jwks_status
                    body = json.dumps(fake.jwks()).encode() if status == 200 else b'{"error":"down"}'
                    return self._send(status, body)
                self._send(404, b'{"error":{"message":"not found"}}')

            def _send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def jwks_path(self):
        return f"/api/v1/apps/{self.app_definition_id}/jwks"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def jwks_url(self):
        return self.url + self.jwks_path

    def jwks(self):
        with self._lock:
            keys = list(self.keys)
        out = []
        for i, key in enumerate(keys):
            numbers = key.public_key().public_numbers()
            out.append({"kty": "EC", "crv": "P-256", "kid": f"key-{i}", "use": "sig", "alg": "ES256",
                        "x": _b64url(numbers.x), "y": _b64url(numbers.y)})
        return {"keys": out}

    def rotate(self):
        """Benchling rotates: the old key is gone, a new one signs from now on."""
        with self._lock:
            self.keys = [ec.generate_private_key(ec.SECP256R1())]

    def add_key(self):
        with self._lock:
            self.keys.append(ec.generate_private_key(ec.SECP256R1()))

    def sign(self, body: bytes, webhook_id=None, timestamp=None, key=None, version="v1der", extra=()):
        """Headers of a signed delivery of `body` (bytes, signed exactly as given)."""
        webhook_id = webhook_id or "msg_" + uuid.uuid4().hex
        timestamp = str(int(time.time())) if timestamp is None else str(timestamp)
        signing_key = key if key is not None else self.keys[-1]
        content = f"{webhook_id}.{timestamp}.".encode() + body
        signature = base64.b64encode(signing_key.sign(content, ec.ECDSA(hashes.SHA256()))).decode()
        elements = [*extra, f"{version},{signature}"]
        return {"webhook-id": webhook_id, "webhook-timestamp": timestamp, "webhook-signature": " ".join(elements),
                "Content-Type": "application/json"}

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
