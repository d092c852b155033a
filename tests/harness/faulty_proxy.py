"""An HTTP proxy between the service and moto that can fail chosen requests (userver's TcpGate, at the
HTTP level): the service's AWS endpoint points here, everything else passes through to moto unchanged.

Three kinds of fault:
- fail(method, path_contains, status): an XML error reply for matching paths (S3, Athena by path);
- reply(action, ...): any reply (malformed XML, non-JSON, an HTML page) for one AWS action, named as the
  SDKs do (X-Amz-Target "AmazonSQS.SendMessage" or query "Action=DescribeStacks" → "SendMessage");
  optionally after forwarding the request, so the call took effect upstream but its answer is garbage;
- down(mode): the endpoint is gone ("refuse": nothing listens on the port; "reset": connections are
  accepted and reset; "blackhole": requests are read and never answered) until up(), on the same port."""
import http.client
import socket
import struct
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
DOWN_MODES = ("refuse", "reset", "blackhole")


def aws_action(headers, body: bytes) -> str:
    """The AWS action of a request: the X-Amz-Target suffix (JSON protocol) or the query Action."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    if body and b"Action=" in body:
        try:
            fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        except ValueError:
            return ""
        return (fields.get("Action") or [""])[0]
    return ""


def _reset(sock):
    """Closes `sock` with a TCP RST (SO_LINGER 0), as a crashed or firewalled endpoint does."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class FaultyProxy:
    def __init__(self, upstream_url: str):
        self.upstream = urllib.parse.urlsplit(upstream_url)
        self._faults = []  # fail(): [{"method", "contains", "status", "remaining"}]
        self._replies = []  # reply(): [{"action", "status", "body", "content_type", "remaining", "forward"}]
        self._lock = threading.Lock()
        self._mode = None  # None (up) or one of DOWN_MODES
        self._released = threading.Event()  # set when blackholed requests may go (up() or stop())
        self._connections = set()
        self.failed = 0
        self.calls = {}  # action → requests seen (forwarded or not)
        self.server = self._new_server(0)
        self.port = self.server.server_port
        self.thread = None

    def _new_server(self, port):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with proxy._lock:
                    proxy._connections.add(self.connection)

            def finish(self):
                with proxy._lock:
                    proxy._connections.discard(self.connection)
                try:
                    super().finish()
                except OSError:
                    pass

            def _send(self, status, body, content_type):
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                action = aws_action(self.headers, body)
                with proxy._lock:
                    proxy.calls[action] = proxy.calls.get(action, 0) + 1
                    mode = proxy._mode
                if mode == "blackhole":
                    proxy._released.wait()
                    mode = "reset"  # whoever was held gets a reset, at once, and tries again
                if mode is not None:
                    self.close_connection = True
                    _reset(self.connection)
                    return
                fault = proxy._take_fault(self.command, self.path)
                if fault:
                    payload = (b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError</Code>"
                               b"<Message>injected by the test proxy</Message></Error>")
                    self._send(fault, payload, "application/xml")
                    return
                canned = proxy._take_reply(action)
                if canned and not canned["forward"]:
                    self._send(canned["status"], canned["body"], canned["content_type"])
                    return
                status, headers, data = proxy._forward(self.command, self.path, body, self.headers)
                if canned:  # the call reached AWS; only its answer is replaced
                    self._send(canned["status"], canned["body"](data) if callable(canned["body"]) else
                               canned["body"], canned["content_type"])
                    return
                self.send_response(status)
                for k, v in headers:
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _any

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.handle_error = lambda request, client_address: None
        server.daemon_threads = True
        return server

    def _forward(self, method, path, body, request_headers):
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        try:
            headers = {k: v for k, v in request_headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def fail(self, method, contains, status=500, times=1):
        """The next `times` requests with this method whose path contains `contains` get `status`."""
        with self._lock:
            self._faults.append({"method": method, "contains": contains, "status": status, "remaining": times})

    def reply(self, action, status=200, body=b"", content_type="application/json", times=1, forward=False):
        """The next `times` calls of AWS `action` (e.g. "SendMessage", "DescribeStacks") are answered with
        `status` and `body` instead of moto's reply. With forward=True the request goes to moto first (it takes
        effect) and only the answer is replaced; `body` may then be a function of moto's reply body."""
        with self._lock:
            self._replies.append({"action": action, "status": status, "body": body,
                                  "content_type": content_type, "remaining": times, "forward": forward})

    def clear(self):
        """Drops every pending fail() and reply(): from now on moto answers."""
        with self._lock:
            self._faults.clear()
            self._replies.clear()

    def _take_fault(self, method, path):
        with self._lock:
            for f in self._faults:
                if f["remaining"] > 0 and f["method"] == method and f["contains"] in path:
                    f["remaining"] -= 1
                    self.failed += 1
                    return f["status"]
        return None

    def _take_reply(self, action):
        with self._lock:
            for r in self._replies:
                if r["remaining"] > 0 and r["action"] == action:
                    r["remaining"] -= 1
                    self.failed += 1
                    return r
        return None

    def down(self, mode="refuse"):
        """The endpoint goes away until up(): "refuse" closes the listening socket (connection refused),
        "reset" resets every request, "blackhole" reads requests and never answers them. Open (pooled)
        connections are reset in every mode, so no client keeps talking to it."""
        if mode not in DOWN_MODES:
            raise ValueError(f"mode must be one of {DOWN_MODES}")
        with self._lock:
            self._mode = mode
            self._released.clear()
        if mode == "refuse":
            self._stop_listening()
        self._reset_connections()

    def up(self):
        """The endpoint is back on the same port; blackholed requests are reset so their clients retry."""
        with self._lock:
            was = self._mode
            self._mode = None
        self._released.set()
        if was == "refuse":
            self.server = self._new_server(self.port)  # SO_REUSEADDR: the same port, despite TIME_WAIT
            self._serve()

    def _reset_connections(self):
        with self._lock:
            connections = list(self._connections)
        for c in connections:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _stop_listening(self):
        self.server.shutdown()
        self.server.server_close()

    def _serve(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def start(self):
        self._serve()
        return self

    def stop(self):
        self._released.set()
        if self._mode != "refuse":
            self._stop_listening()
        self._mode = None
        self._reset_connections()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
