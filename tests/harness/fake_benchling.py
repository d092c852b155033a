"""A fake Benchling on loopback: publishes a JWKS, signs webhooks, and serves the REST API the service calls.

Webhooks: the signer is Python `cryptography` (ECDSA P-256 / SHA-256, DER signatures), independent of the
service's OpenSSL verifier, so a bug in one cannot cancel out in the other. Keys are made per run and never
written to disk.

API (in memory, thread-safe), the parts of https://<tenant>.benchling.com/api/v2 the service uses:

    POST  /api/v2/token                 client credentials (Basic client_id:client_secret) -> bearer token
                                        (TokenResponse); a wrong client answers 401 OAuthUnauthorizedError
                                        {"error": {"type": "invalid_client", "message"}}
    GET   /api/v2/entries/{id}          {"entry": {...}} from add_entry() (EntryById)
    GET   /api/v2/entries               the listing (EntriesPaginatedList): filters projectId, schemaId, modifiedAt
                                        ("> T", "< T", "> T AND < T"), archiveReason (NOT_ARCHIVED by default),
                                        ids (an unknown one: 400 naming it), displayIds; sorted by `sort`
                                        (modifiedAt:desc by default); pages of min(pageSize, max_page_size) with
                                        an opaque nextToken ("" on the last page; a token of another query: 400).
                                        Entries of a project hidden with hide_project() are never listed, and
                                        listing that project answers its status (403 or 404). Query
                                        parameters are checked against the spec (pageSize <= 100, sort enum,
                                        unknown names). fail_listing() scripts trouble after N pages.
    POST  /api/v2/exports               {"id": entry_id} -> 202 {"taskId"} (ExportItemRequest -> AsyncTaskLink)
    GET   /api/v2/tasks/{id}            RUNNING for `polls_before_done` polls, then SUCCEEDED (downloadURL) or
                                        FAILED (message), or RUNNING forever (outcome "never") (ExportsAsyncTask)
    GET   /downloads/{task}.zip         the export ZIP; pre-signed, so no bearer needed; streamed from disk
                                        when the export was given as a path
    GET   /api/v2/app-canvases/{id}     from add_canvas() (AppCanvas: the app as {"app": {"id"}})
    PATCH /api/v2/app-canvases/{id}     merged into the canvas; every body recorded in `canvas_patches`
                                        (AppCanvasUpdate -> AppCanvas)
    POST  /api/v2/app-canvases          creates one; recorded in `canvas_creates` (AppCanvasCreate -> 201 AppCanvas)
    GET   /api/v2/{collection}/{id}     other resources from add_resource() (custom-entities, dna-sequences, ...)

Benchling's published contract (tests/fixtures/benchling-openapi, read by harness.benchling_spec) is enforced
both ways. Every request body sent to an /api/v2 operation whose spec documents one (the JSON bodies above,
the token request's form fields as TokenCreate) is validated against that operation's requestBody schema, its
Content-Type included; a body the real API would refuse is answered 400 in Benchling's error shape with the
schema error as the message, and recorded in `schema_violations` (bodies are checked before any scripted
trouble, so also when a fault or an outage answers them). The fake's own JSON replies on /api/v2 are checked
against the operation's response schema for their status (export tasks against ExportsAsyncTask, the spec
giving a union of 31 task kinds), and a non-conforming one is recorded there too, as a bug of the fake.
stop() raises AssertionError listing them, so a module's teardown fails; take_violations() hands them over
(and clears them) for tests that send bad bodies on purpose. Deliberately malformed replies (fail_next
bodies, export_reply / task_reply, jwks_body, malform_entry()) are not checked. What the spec does not
describe rests on this fake alone: the JWKS and webhook signing, the pre-signed export download, the 401 for
a missing or expired bearer token, retries' Retry-After.

Every /api/v2 route except the token endpoint requires `Authorization: Bearer <token issued here>` and answers
401 for an unknown or expired one. Errors use Benchling's shape {"error": {"message", "type", "userMessage"}}.
Calls are counted per route in `calls` (keys as in the table, e.g. calls["GET /api/v2/entries/{id}"]).
Scripted trouble: fail_next(path_prefix, status, times, retry_after, body) (times=None: until cleared; a bytes
body is sent as given, so malformed replies can be served), delay(seconds), outage(path_prefix, mode) (every
request answered with an HTTP status, or its connection closed without a reply, until end_outage()),
trickle_downloads(chunk, interval) (export downloads sent slowly, re-read at every chunk so it can be lifted
mid-download), cut_downloads(after_bytes, times) (a download that stops part-way and closes), jwks_body (a
JWKS reply of your own) and set_export(..., export_reply=, task_reply=) (malformed export replies per entry).
"""
import base64
import collections
import copy
import io
import json
import os
import secrets
import threading
import time
import uuid
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from . import benchling_spec

# The same values as harness.world.valid_secret(), so a default world authenticates against a default fake.
DEFAULT_CLIENT_ID = "wqFfVOhbYe42"
DEFAULT_CLIENT_SECRET = "cs-7f3a9b2e4d1c8f6a0b5e"

# The canvas feature of the app manifest (kCanvasFeatureId in src/deploy/app_manifest.hpp; a test pins the two).
CANVAS_FEATURE_ID = "quilt_entry"
# The installed app's id (app.id of webhooks and canvases; app_definition_id names its definition instead).
DEFAULT_APP_ID = "app_qdSsffBWrLoTVId4"

ENTRY_FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "benchling-events", "entry.json")

# Route keys used in `calls`.
TOKEN = "POST /api/v2/token"
ENTRY = "GET /api/v2/entries/{id}"
ENTRIES = "GET /api/v2/entries"
EXPORT = "POST /api/v2/exports"
TASK = "GET /api/v2/tasks/{id}"
DOWNLOAD = "GET /downloads/{name}"
CANVAS_GET = "GET /api/v2/app-canvases/{id}"
CANVAS_PATCH = "PATCH /api/v2/app-canvases/{id}"
CANVAS_CREATE = "POST /api/v2/app-canvases"
RESOURCE = "GET /api/v2/{collection}/{id}"
JWKS = "GET jwks"

_CHUNK = 64 * 1024


def _b64url(n: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(32, "big")).rstrip(b"=").decode()


def make_zip(members) -> bytes:
    """A ZIP of [(name, bytes)] in the given order. Names ending in "/" become directory entries; non-ASCII
    names get the UTF-8 flag (zipfile sets it)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name.endswith("/"):
                z.writestr(zipfile.ZipInfo(name), b"")
            else:
                z.writestr(name, data)
    return buf.getvalue()


def _rfc3339(text):
    from datetime import datetime, timezone

    t = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    return t if t.tzinfo is not None else t.replace(tzinfo=timezone.utc)


def _modified_range(value):
    """(after, before) of a modifiedAt filter: "> T", "< T" or "> T AND < T" (RFC 3339 or a date; UTC when
    no zone). ValueError for anything else."""
    low = high = None
    if not value:
        return low, high
    for part in value.split(" AND "):
        part = part.strip()
        if part[:1] not in (">", "<"):
            raise ValueError(f"expected > or < in {value!r}")
        when = _rfc3339(part[1:].strip())
        if part[0] == ">":
            low = when
        else:
            high = when
    return low, high


def _error(message, type_="invalid_request_error", **extra):
    return {"error": {"message": message, "type": type_, "userMessage": message, **extra}}


class _AsGiven:
    """A reply a test scripted on purpose (malformed Benchling replies): served unchecked."""

    def __init__(self, payload):
        self.payload = payload


class FakeBenchling:
    def __init__(self, app_definition_id="appdef_wqFfaXBVMu", client_id=DEFAULT_CLIENT_ID,
                 client_secret=DEFAULT_CLIENT_SECRET, expires_in=900, polls_before_done=1, tenant="quilt-test"):
        self.app_definition_id = app_definition_id
        self.keys = [ec.generate_private_key(ec.SECP256R1())]
        self.jwks_fetches = 0
        self.jwks_status = 200  # set to 500 to make the JWKS endpoint fail
        self.jwks_body = None  # bytes (sent as given) or JSON-able: served instead of the real JWKS
        self._lock = threading.Lock()

        self.tenant = tenant
        self.client_id = client_id
        self.client_secret = client_secret  # change it (or call set_client_secret) to simulate a rotation
        self.expires_in = expires_in  # seconds, for tokens issued from now on
        self.polls_before_done = polls_before_done  # default for exports without their own value
        self.tokens_issued = 0
        self.token_requests = 0  # including rejected ones
        self._tokens = {}  # token -> expiry (time.time())
        self.entries = {}  # entry id -> entry object (what GET returns inside "entry")
        self.malformed_entries = set()  # entry ids served unchecked (malform_entry())
        self._exports = {}  # entry id -> export spec
        self.tasks = {}  # task id -> task state
        self.canvases = {}  # canvas id -> canvas object
        self.canvas_patches = []  # [(canvas_id, body)] in arrival order, including ones answered 404
        self.canvas_patch_times = []  # time.monotonic() of each canvas_patches entry (benchmarks)
        self.canvas_creates = []  # [body]
        self.app_id = DEFAULT_APP_ID  # app.id of canvases created without an appId
        self.schema_violations = []  # ["METHOD path: Schema: where: error"]: see the module docstring
        self.resources = {}  # (collection, id) -> object
        self.entry_projects = {}  # entry id -> project id (Benchling files entries in a project's folders)
        self.hidden_projects = {}  # project id -> status (403/404) of listing it; its entries are never listed
        self.max_page_size = 100  # Benchling may send fewer than pageSize entries; tests lower it
        self.listing_pages = 0  # listing pages served (200)
        self.listing_queries = []  # [dict of query parameters] of every listing request, in order
        self.check_replies = True  # False: skip the reply self-check (benchmarks with thousands of entries)
        self._listing_faults = []  # [{"after", "status", "retry_after", "remaining"}]
        self.calls = collections.Counter()
        self.requests = []  # [{"method", "path", "query", "headers"}] of every request, in order
        self.answered = []  # [(path, status)] of every answer written in full (downloads aside), in order
        self._faults = []  # [{"prefix", "status", "remaining", "retry_after", "body", "method"}]
        self._delays = {}  # path prefix -> seconds
        self._outages = []  # [{"prefix", "mode", "method"}]: mode is an HTTP status or "close"
        self.outage_hits = 0  # requests refused by an outage
        self._trickle = None  # (bytes per chunk, seconds between chunks) for export downloads
        self._cuts = []  # [{"after", "remaining"}]: downloads cut short
        self.downloads_started = 0
        self.downloads_completed = 0
        self.downloads_aborted = 0  # the client went away, or the fake cut the download
        self.download_bytes_sent = 0
        self.issued_tokens = []  # every access token handed out (the leak check looks for them)
        self.download_signatures = []  # the credential part of every pre-signed download URL handed out
        self._cond = threading.Condition(self._lock)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                fake._dispatch(self, "GET")

            def do_POST(self):
                fake._dispatch(self, "POST")

            def do_PATCH(self):
                fake._dispatch(self, "PATCH")

            def do_PUT(self):
                fake._dispatch(self, "PUT")

            def do_DELETE(self):
                fake._dispatch(self, "DELETE")

            def _send(self, status, body, headers=None):
                headers = dict(headers or {})
                self.send_response(status)
                self.send_header("Content-Type", headers.pop("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                with fake._lock:
                    fake.answered.append((self.path.split("?")[0], status))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A client that dies mid-request (a killed service) is part of the tests, not an error to print.
        self.server.handle_error = lambda request, client_address: None
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ----------------------------------------------------------------- webhooks (JWKS and signing)

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

    # ----------------------------------------------------------------- API state set-up

    def set_client_secret(self, secret):
        """Rotates the app's client secret: the old one is rejected from now on (tokens already issued stay)."""
        with self._lock:
            self.client_secret = secret

    def expire_tokens(self):
        """Every token issued so far now answers 401 (as after its expires_in)."""
        with self._lock:
            self._tokens.clear()

    def add_entry(self, entry_id, display_id=None, name="", *, fields=None, days=None, authors=None, creator=None,
                  web_url=None, created_at="2025-03-24T21:34:16.262367+00:00",
                  modified_at="2025-03-30T23:37:22.777296+00:00", canvas_id=None, export_zip=None,
                  export_zip_path=None, export_outcome="succeed", export_message=None, polls_before_done=None,
                  project_id="src_default", schema_id=None, archived=None, **extra):
        """Adds an entry shaped like tests/fixtures/benchling-events/entry.json (its days, fields, creator and
        authors unless given). `canvas_id` registers an App Canvas on the entry (also set in its app_canvas
        note). The export is set as in set_export(). `project_id` files it in that project (listing filter),
        `schema_id` sets its schema, `archived` (a reason such as "Made in error") archives it. Returns the
        stored entry object (mutable)."""
        with open(ENTRY_FIXTURE, encoding="utf-8") as f:
            entry = json.load(f)["entry"]
        display_id = display_id or entry_id
        slug = "".join(c if c.isalnum() else "-" for c in (name or display_id).lower()).strip("-") or "entry"
        entry.update({
            "id": entry_id,
            "displayId": display_id,
            "name": name,
            "apiURL": f"{self.url}/api/v2/entries/{entry_id}",
            "webURL": web_url or f"https://{self.tenant}.benchling.com/quilt-dev/f/lib_uz14ul16-quilt-integration/"
                                 f"{entry_id}-{slug}/edit",
            "createdAt": created_at,
            "modifiedAt": modified_at,
        })
        if fields is not None:
            entry["fields"] = fields
        if days is not None:
            entry["days"] = days
        if authors is not None:
            entry["authors"] = authors
        if creator is not None:
            entry["creator"] = creator
        if schema_id is not None:
            entry["schema"] = {"id": schema_id, "name": f"Schema {schema_id}"}
        entry["archiveRecord"] = {"reason": archived} if archived else None
        entry.update(extra)
        if canvas_id is not None:
            for day in entry.get("days") or []:
                for note in day.get("notes") or []:
                    if note.get("type") == "app_canvas":
                        note["canvasId"] = canvas_id
            self.add_canvas(canvas_id, resource_id=entry_id)
        with self._lock:
            self.entries[entry_id] = entry
            self.entry_projects[entry_id] = project_id
        self.set_export(entry_id, zip=export_zip, zip_path=export_zip_path, outcome=export_outcome,
                        message=export_message, polls_before_done=polls_before_done)
        return entry

    def hide_project(self, project_id, status=404):
        """The app is not a member of `project_id`: its entries are never listed, and listing with that projectId
        answers `status` (404 when Benchling hides the project from the app, 403 when it shows but denies it)."""
        with self._lock:
            self.hidden_projects[project_id] = status

    def fail_listing(self, after_pages, status=429, retry_after=1, times=1):
        """After `after_pages` listing pages were served (in total), the next `times` listing requests get
        `status` (with Retry-After when given; times=None: all of them until clear_faults())."""
        with self._lock:
            self._listing_faults.append({"after": after_pages, "status": status, "retry_after": retry_after,
                                         "remaining": float("inf") if times is None else times})

    def malform_entry(self, entry_id, **fields):
        """Sets fields of an added entry to values off Benchling's contract (a malformed reply on purpose, e.g.
        createdAt=None or webURL={}): the entry is then served without the reply self-check."""
        with self._lock:
            self.entries[entry_id].update(fields)
            self.malformed_entries.add(entry_id)

    def set_export(self, entry_id, zip=None, zip_path=None, outcome="succeed", message=None,
                   polls_before_done=None, export_reply=None, task_reply=None, bad_exports=None):
        """What exporting `entry_id` gives. `zip`: bytes, or [(member name, bytes)] built with make_zip (nested
        folders, non-ASCII names welcome); default: one HTML file named after the display id. `zip_path`: a file
        served from disk in chunks (large exports). `outcome`: "succeed", "fail" (FAILED with `message`) or
        "never" (RUNNING forever). `polls_before_done`: RUNNING answers before the outcome (default: the fake's).
        `export_reply` / `task_reply` (JSON-able, or bytes sent as given): a 200 answer used instead of the real
        reply to POST /exports for this entry / to every poll of its export task (malformed Benchling replies),
        for its next `bad_exports` exports (None: all of them); later exports are sane."""
        if outcome not in ("succeed", "fail", "never"):
            raise ValueError(f"unknown export outcome {outcome!r}")
        if zip is not None and not isinstance(zip, (bytes, bytearray)):
            zip = make_zip(zip)
        with self._lock:
            self._exports[entry_id] = {"zip": zip, "zip_path": zip_path, "outcome": outcome,
                                       "message": message or "Export failed: the entry could not be rendered",
                                       "polls_before_done": polls_before_done, "export_reply": export_reply,
                                       "task_reply": task_reply,
                                       "bad_exports": float("inf") if bad_exports is None else bad_exports}

    def add_canvas(self, canvas_id, resource_id=None, feature_id=CANVAS_FEATURE_ID, blocks=None, enabled=True,
                   app_id=None):
        """An App Canvas shaped as the spec's AppCanvas (its app as {"app": {"id"}}). Returns the stored object."""
        canvas = {"id": canvas_id, "app": {"id": app_id or self.app_id}, "resourceId": resource_id,
                  "featureId": feature_id, "blocks": blocks or [], "enabled": enabled, "sessionId": None,
                  "data": None, "archiveRecord": None}
        with self._lock:
            self.canvases[canvas_id] = canvas
        return canvas

    def add_resource(self, collection, resource_id, name, **fields):
        """Another object the service may look up by id, e.g. add_resource("custom-entities", "bfi_1", "Sample")."""
        obj = {"id": resource_id, "name": name, **fields}
        with self._lock:
            self.resources[(collection, resource_id)] = obj
        return obj

    def fail_next(self, path_prefix, status, times=1, retry_after=None, body=None, method=None,
                  content_type="application/json"):
        """The next `times` requests whose path starts with `path_prefix` (and method, if given) get `status`
        (with Retry-After when given) instead of their normal answer; later ones are served normally.
        `times=None`: every request until clear_faults(). `body`: JSON-able, or bytes sent as given (a
        malformed reply; `status` may be 200). Applies to every route, the token endpoint and downloads
        included."""
        if body is None:
            body = _error(f"injected HTTP {status}", "server_error" if status >= 500 else "invalid_request_error")
        with self._lock:
            self._faults.append({"prefix": path_prefix, "status": status,
                                 "remaining": float("inf") if times is None else times,
                                 "retry_after": retry_after, "body": body, "method": method,
                                 "content_type": content_type})

    def delay(self, seconds, path_prefix="/"):
        """Answers requests under `path_prefix` after `seconds` (0 removes the delay)."""
        with self._lock:
            if seconds:
                self._delays[path_prefix] = seconds
            else:
                self._delays.pop(path_prefix, None)

    def outage(self, path_prefix="/", mode="close", method=None):
        """Benchling is down under `path_prefix` until end_outage(): every request there is answered with HTTP
        `mode` (an int), or with "close" its connection is closed without a reply (as a crashed server or a
        load balancer with no backend does). Counted in `outage_hits`."""
        if mode != "close" and not isinstance(mode, int):
            raise ValueError(f"outage mode must be an HTTP status or 'close', not {mode!r}")
        with self._lock:
            self._outages.append({"prefix": path_prefix, "mode": mode, "method": method})

    def end_outage(self, path_prefix=None):
        """Ends the outage under `path_prefix` (every outage when None)."""
        with self._lock:
            self._outages = [o for o in self._outages if path_prefix is not None and o["prefix"] != path_prefix]

    def trickle_downloads(self, chunk=None, interval=0.1):
        """Export downloads send `chunk` bytes every `interval` seconds; None lifts it, also for a download
        already under way (it sends the rest at full speed)."""
        with self._lock:
            self._trickle = None if chunk is None else (int(chunk), float(interval))

    def cut_downloads(self, after_bytes, times=1):
        """The next `times` export downloads announce their full Content-Length, send `after_bytes` bytes and
        close the connection (a transfer dropped part-way)."""
        with self._lock:
            self._cuts.append({"after": int(after_bytes), "remaining": times})

    def clear_faults(self):
        with self._lock:
            self._faults.clear()
            self._delays.clear()
            self._outages.clear()
            self._cuts.clear()
            self._trickle = None
            self._listing_faults.clear()

    # ----------------------------------------------------------------- inspection

    def count(self, route):
        with self._lock:
            return self.calls[route]

    def wait_for_calls(self, route, n, timeout=10.0):
        """Blocks until `route` was called at least `n` times; True if it was within `timeout`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.calls[route] < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def wait_until(self, predicate, timeout=10.0):
        """Blocks until predicate(self) is true (checked whenever a request or download chunk arrives and at
        least every 0.1 s); True if it was within `timeout`. The predicate runs under the fake's lock: it may
        read attributes (downloads_started, download_bytes_sent, calls, ...) but not call methods."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.1))
            return True

    def take_violations(self):
        """The schema violations recorded so far (see the module docstring), clearing them."""
        with self._lock:
            out, self.schema_violations = self.schema_violations, []
        return out

    def patches_for(self, canvas_id):
        with self._lock:
            return [body for cid, body in self.canvas_patches if cid == canvas_id]

    # ----------------------------------------------------------------- serving

    def _route_of(self, method, path):
        if path == self.jwks_path:
            return JWKS
        if path == "/api/v2/token":
            return TOKEN
        if path.startswith("/downloads/"):
            return DOWNLOAD
        if path == "/api/v2/exports":
            return EXPORT
        if path == "/api/v2/app-canvases":
            return CANVAS_CREATE
        if path == "/api/v2/entries":
            return ENTRIES
        if path.startswith("/api/v2/entries/"):
            return ENTRY
        if path.startswith("/api/v2/tasks/"):
            return TASK
        if path.startswith("/api/v2/app-canvases/"):
            return CANVAS_PATCH if method == "PATCH" else CANVAS_GET
        if path.startswith("/api/v2/"):
            return RESOURCE
        return f"{method} {path}"

    def _dispatch(self, h, method):
        parts = urlsplit(h.path)
        path, query = parts.path, parts.query
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length > 0 else b""
        route = self._route_of(method, path)
        # Checked before any scripted trouble, so a body is held to the contract however it is answered.
        violation = self._check_request(h, method, path, body) if path.startswith("/api/v2/") else None
        with self._lock:
            self.calls[route] += 1
            self.requests.append({"method": method, "path": path, "query": query, "headers": dict(h.headers)})
            self._cond.notify_all()
            delay = max((s for p, s in self._delays.items() if path.startswith(p)), default=0)
            outage = next((o for o in self._outages
                           if path.startswith(o["prefix"]) and o["method"] in (None, method)), None)
            if outage is not None:
                self.outage_hits += 1
            fault = None
            for f in self._faults:
                if f["remaining"] > 0 and path.startswith(f["prefix"]) and f["method"] in (None, method):
                    f["remaining"] -= 1
                    fault = f
                    break
            self._faults = [f for f in self._faults if f["remaining"] > 0]
        if delay:
            time.sleep(delay)
        try:
            if outage is not None:
                if outage["mode"] == "close":
                    h.close_connection = True  # no reply at all: the client sees the connection drop
                    return
                return h._send(outage["mode"], json.dumps(_error("Benchling is down", "server_error")).encode())
            if fault is not None:
                headers = {"Retry-After": str(fault["retry_after"])} if fault["retry_after"] is not None else {}
                if fault.get("content_type") != "application/json":
                    headers["Content-Type"] = fault["content_type"]
                data = fault["body"] if isinstance(fault["body"], (bytes, bytearray)) else \
                    json.dumps(fault["body"]).encode()
                return h._send(fault["status"], bytes(data), headers)
            status, payload, headers = self._answer(h, method, route, path, body, violation)
            if status is None:
                return  # streamed already
            if isinstance(payload, _AsGiven):
                payload = payload.payload
            elif not isinstance(payload, bytes):
                self._check_reply(method, route, path, status, payload)
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
            h._send(status, data, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _authorized(self, h):
        auth = h.headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            return False
        with self._lock:
            expiry = self._tokens.get(auth[len("Bearer "):])
        return expiry is not None and time.time() < expiry

    def _violation(self, method, path, message):
        with self._lock:
            self.schema_violations.append(f"{method} {path}: {message}")
            self._cond.notify_all()

    def _check_request(self, h, method, path, body):
        """None, or the schema error of a request body the real API would refuse (recorded)."""
        found = benchling_spec.operation(method, path)
        content = ((found[1].get("requestBody") or {}).get("content") or {}) if found else {}
        if not content:
            return None
        given = (h.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if given not in content:
            message = f"Content-Type {given or '(none)'!r} is not one of {sorted(content)}"
        elif given == "application/x-www-form-urlencoded":
            message = benchling_spec.request_violation(method, path, dict(parse_qsl(body.decode(errors="replace"))),
                                                       given)
        else:
            try:
                message = benchling_spec.request_violation(method, path, json.loads(body), given)
            except ValueError as e:
                message = f"the body is not JSON: {e}"
        if message is not None:
            self._violation(method, path, message)
        return message

    def _check_reply(self, method, route, path, status, payload):
        """Records a JSON reply of the fake's own that is not the documented one (a bug of the fake)."""
        if not path.startswith("/api/v2/") or not self.check_replies:
            return
        name = "ExportsAsyncTask" if route == TASK and status == 200 else None
        message = benchling_spec.response_violation(method, path, status, payload, schema_name=name)
        if message is not None:
            self._violation(method, path, f"the fake's own {status} reply: {message}")

    def _answer(self, h, method, route, path, body, violation):
        """(status, JSON-able or bytes or _AsGiven, headers); status None when the handler streamed the reply
        itself."""
        if route == JWKS and method == "GET":
            with self._lock:
                self.jwks_fetches += 1
                status, custom = self.jwks_status, self.jwks_body
            if custom is not None:
                return (status, custom, None)
            return (status, self.jwks() if status == 200 else {"error": "down"}, None)
        if route == DOWNLOAD and method == "GET":
            return self._download(h, unquote(path[len("/downloads/"):]))
        if not path.startswith("/api/v2/"):
            return (404, _error("not found"), None)
        if route == TOKEN and method == "POST":
            return self._token(h, body, violation)
        if not self._authorized(h):
            return (401, _error("Invalid or expired access token", "invalid_request_error"), None)
        if violation is not None:
            return (400, _error(violation), None)

        if route == ENTRIES and method == "GET":
            return self._list_entries(h)
        resource_id = unquote(path.rsplit("/", 1)[-1])
        if route == ENTRY and method == "GET":
            with self._lock:
                entry = copy.deepcopy(self.entries.get(resource_id))
                malformed = resource_id in self.malformed_entries
            if entry is None:
                return (404, _error(f"Entry {resource_id} not found", invalidId=resource_id), None)
            return (200, _AsGiven({"entry": entry}) if malformed else {"entry": entry}, None)
        if route == EXPORT and method == "POST":
            return self._start_export(body)
        if route == TASK and method == "GET":
            return self._task(resource_id)
        if route == CANVAS_GET and method == "GET":
            with self._lock:
                canvas = copy.deepcopy(self.canvases.get(resource_id))
            if canvas is None:
                return (404, _error(f"App canvas {resource_id} not found", invalidId=resource_id), None)
            return (200, canvas, None)
        if route == CANVAS_PATCH:
            return self._patch_canvas(resource_id, body)
        if route == CANVAS_CREATE and method == "POST":
            return self._create_canvas(body)
        if route == RESOURCE and method == "GET":
            collection = path[len("/api/v2/"):].rsplit("/", 1)[0]
            with self._lock:
                obj = copy.deepcopy(self.resources.get((collection, resource_id)))
            if obj is None:
                return (404, _error(f"{collection} {resource_id} not found", invalidId=resource_id), None)
            return (200, obj, None)
        return (405, _error(f"{method} is not supported on {path}"), None)

    def _list_entries(self, h):
        """GET /api/v2/entries as Benchling answers it (see the module docstring)."""
        pairs = parse_qsl(urlsplit(h.path).query, keep_blank_values=True)
        violation = benchling_spec.query_violation("GET", "/api/v2/entries", pairs)
        if violation is not None:
            self._violation("GET", "/api/v2/entries", violation)
            return (400, _error(violation), None)
        q = dict(pairs)
        with self._lock:
            self.listing_queries.append(q)
            fault = next((f for f in self._listing_faults
                          if f["remaining"] > 0 and self.listing_pages >= f["after"]), None)
            if fault is not None:
                fault["remaining"] -= 1
                self._listing_faults = [f for f in self._listing_faults if f["remaining"] > 0]
                headers = {"Retry-After": str(fault["retry_after"])} if fault["retry_after"] is not None else {}
                kind = "server_error" if fault["status"] >= 500 else "invalid_request_error"
                return (fault["status"], _AsGiven(_error(f"injected HTTP {fault['status']}", kind)), headers)
            project = q.get("projectId")
            if project in self.hidden_projects:
                status = self.hidden_projects[project]
                message = f"Project {project} not found" if status == 404 else \
                    f"You do not have access to project {project}"
                return (status, _AsGiven(_error(message, "invalid_request_error", invalidId=project)), None)
            visible = {i: e for i, e in self.entries.items()
                       if self.entry_projects.get(i) not in self.hidden_projects}
            ids = [x for x in (q.get("ids") or "").split(",") if x]
            unknown = [x for x in ids if x not in visible]
            if unknown:
                return (400, _error(f"Invalid ids: {', '.join(unknown)}", invalidIds=unknown), None)
            try:
                low, high = _modified_range(q.get("modifiedAt"))
            except ValueError as e:
                return (400, _error(f"modifiedAt: {e}"), None)
            archive = q.get("archiveReason") or "NOT_ARCHIVED"
            display_ids = {x for x in (q.get("displayIds") or "").split(",") if x}
            found = []
            for entry_id, e in visible.items():
                record = e.get("archiveRecord")
                if archive == "NOT_ARCHIVED" and record:
                    continue
                if archive == "ANY_ARCHIVED" and not record:
                    continue
                if archive not in ("NOT_ARCHIVED", "ANY_ARCHIVED", "ANY_ARCHIVED_OR_NOT_ARCHIVED") and \
                        (record or {}).get("reason") != archive:
                    continue
                if project is not None and self.entry_projects.get(entry_id) != project:
                    continue
                if q.get("schemaId") is not None and (e.get("schema") or {}).get("id") != q["schemaId"]:
                    continue
                if ids and entry_id not in ids:
                    continue
                if display_ids and e.get("displayId") not in display_ids:
                    continue
                modified = _rfc3339(e["modifiedAt"])
                if (low is not None and not modified > low) or (high is not None and not modified < high):
                    continue
                found.append(e)
            key, _, order = (q.get("sort") or "modifiedAt:desc").partition(":")
            field = {"modifiedAt": "modifiedAt", "createdAt": "createdAt", "name": "name"}[key]
            descending = order == "desc" or (not order and key != "name")
            found.sort(key=lambda e: (_rfc3339(e[field]) if field != "name" else e[field], e["id"]),
                       reverse=descending)
            selection = json.dumps({k: v for k, v in sorted(q.items()) if k not in ("nextToken", "pageSize")})
            offset = 0
            if q.get("nextToken"):
                try:
                    state = json.loads(base64.urlsafe_b64decode(q["nextToken"].encode()))
                    offset = int(state["o"])
                    if state["q"] != selection:
                        raise ValueError("another query")
                except (ValueError, KeyError, TypeError):
                    return (400, _error("Invalid nextToken"), None)
            size = min(int(q.get("pageSize") or 50), self.max_page_size)
            page = [copy.deepcopy(e) for e in found[offset:offset + size]]
            more = offset + size < len(found)
            token = base64.urlsafe_b64encode(json.dumps({"o": offset + size, "q": selection}).encode()).decode() \
                if more else ""
            self.listing_pages += 1
        return (200, {"entries": page, "nextToken": token}, None)

    def _token(self, h, body, violation):
        with self._lock:
            self.token_requests += 1
            client_id, client_secret, expires_in = self.client_id, self.client_secret, self.expires_in
        auth = h.headers.get("Authorization") or ""
        try:
            given = base64.b64decode(auth[len("Basic "):], validate=True).decode() if auth.startswith("Basic ") else ""
        except ValueError:
            given = ""
        if given != f"{client_id}:{client_secret}":
            return (401, _error("Client authentication failed: unknown client or wrong secret", "invalid_client"),
                    None)
        if violation is not None:
            grant = dict(parse_qsl(body.decode(errors="replace"))).get("grant_type")
            kind = "unsupported_grant_type" if grant and grant != "client_credentials" else "invalid_request"
            return (400, _error(violation, kind), None)
        token = "fake-" + secrets.token_hex(16)
        with self._lock:
            self._tokens[token] = time.time() + expires_in
            self.tokens_issued += 1
            self.issued_tokens.append(token)
        return (200, {"access_token": token, "token_type": "Bearer", "expires_in": expires_in}, None)

    def _start_export(self, body):
        try:
            entry_id = json.loads(body or b"{}").get("id")
        except (ValueError, AttributeError):
            entry_id = None
        if not isinstance(entry_id, str) or not entry_id:
            return (400, _error("id is required"), None)
        with self._lock:
            if entry_id not in self.entries:
                return (404, _error(f"Entry {entry_id} not found"), None)
            stored = self._exports.get(entry_id)
            spec = dict(stored or {"zip": None, "zip_path": None, "outcome": "succeed", "message": "Export failed",
                                   "polls_before_done": None, "export_reply": None, "task_reply": None,
                                   "bad_exports": 0})
            if spec["bad_exports"] > 0 and (spec["export_reply"] is not None or spec["task_reply"] is not None):
                stored["bad_exports"] -= 1
            else:
                spec["export_reply"] = spec["task_reply"] = None
            if spec["export_reply"] is not None:
                return (200, _AsGiven(spec["export_reply"]), None)
            if spec["zip"] is None and spec["zip_path"] is None:
                display_id = self.entries[entry_id].get("displayId", entry_id)
                spec["zip"] = make_zip([(f"{display_id}.html", f"<html><body>{display_id}</body></html>".encode())])
            if spec["polls_before_done"] is None:
                spec["polls_before_done"] = self.polls_before_done
            task_id = "task_" + uuid.uuid4().hex[:12]
            self.tasks[task_id] = {"entry_id": entry_id, "polls": 0, **spec}
        return (202, {"taskId": task_id}, None)

    def _task(self, task_id):
        with self._lock:
            task = self.tasks.get(task_id)
            if task is None:
                return (404, _error(f"Task {task_id} not found"), None)
            task["polls"] += 1
            if task.get("task_reply") is not None:
                return (200, _AsGiven(task["task_reply"]), None)
            running = task["outcome"] == "never" or task["polls"] <= task["polls_before_done"]
            outcome, message = task["outcome"], task["message"]
        if running:
            return (200, {"status": "RUNNING"}, None)
        if outcome == "fail":
            return (200, {"status": "FAILED", "message": message, "errors": [{"message": message}]}, None)
        # Shaped like an S3 pre-signed URL: the query is a credential the service must never log.
        signature = secrets.token_hex(32)
        with self._lock:
            self.download_signatures.append(signature)
        url = f"{self.url}/downloads/{task_id}.zip?X-Amz-Expires=600&X-Amz-Signature={signature}"
        return (200, {"status": "SUCCEEDED", "response": {"downloadURL": url}}, None)

    def _download(self, h, name):
        task_id = name[:-len(".zip")] if name.endswith(".zip") else name
        with self._lock:
            task = self.tasks.get(task_id)
            zip_bytes = task and task["zip"]
            zip_path = task and task["zip_path"]
        if task is None:
            return (404, b"<Error><Code>NoSuchKey</Code></Error>", {"Content-Type": "application/xml"})
        size = os.path.getsize(zip_path) if zip_path is not None else len(zip_bytes)
        with self._lock:
            self.downloads_started += 1
            cut = next((c for c in self._cuts if c["remaining"] > 0), None)
            if cut is not None:
                cut["remaining"] -= 1
            self._cuts = [c for c in self._cuts if c["remaining"] > 0]
            self._cond.notify_all()
        h.send_response(200)
        h.send_header("Content-Type", "application/zip")
        h.send_header("Content-Length", str(size))
        h.end_headers()
        f = open(zip_path, "rb") if zip_path is not None else io.BytesIO(zip_bytes)
        sent = 0
        try:
            with f:
                while True:
                    with self._lock:
                        trickle = self._trickle
                    want = trickle[0] if trickle else _CHUNK
                    if cut is not None:
                        want = min(want, cut["after"] - sent)
                    chunk = f.read(want) if want > 0 else b""
                    if not chunk:
                        break
                    h.wfile.write(chunk)
                    h.wfile.flush()
                    sent += len(chunk)
                    with self._lock:
                        self.download_bytes_sent += len(chunk)
                        self._cond.notify_all()
                    if trickle:
                        time.sleep(trickle[1])
        except (BrokenPipeError, ConnectionResetError):
            with self._lock:
                self.downloads_aborted += 1
                self._cond.notify_all()
            h.close_connection = True
            return (None, None, None)
        with self._lock:
            if sent < size:
                self.downloads_aborted += 1
            else:
                self.downloads_completed += 1
            self._cond.notify_all()
        if sent < size:
            h.close_connection = True  # the rest never comes: the client sees the transfer end early
        return (None, None, None)

    def _patch_canvas(self, canvas_id, body):
        """The body is valid AppCanvasUpdate here (else the 400 went out before)."""
        update = json.loads(body)
        with self._lock:
            self.canvas_patches.append((canvas_id, update))
            self.canvas_patch_times.append(time.monotonic())
            self._cond.notify_all()
            canvas = self.canvases.get(canvas_id)
            if canvas is None:
                return (404, _error(f"App canvas {canvas_id} not found", invalidId=canvas_id), None)
            for key in ("blocks", "enabled", "sessionId", "data", "featureId", "resourceId"):
                if key in update:
                    canvas[key] = update[key]
            return (200, copy.deepcopy(canvas), None)

    def _create_canvas(self, body):
        """The body is valid AppCanvasCreate here (else the 400 went out before)."""
        spec = json.loads(body)
        canvas_id = "cnvs_" + uuid.uuid4().hex[:8]
        with self._lock:
            self.canvas_creates.append(spec)
        canvas = self.add_canvas(canvas_id, resource_id=spec["resourceId"], feature_id=spec["featureId"],
                                 blocks=spec["blocks"], enabled=spec.get("enabled", True), app_id=spec["appId"])
        with self._lock:
            canvas.update({k: spec[k] for k in ("sessionId", "data") if k in spec})
            return (201, copy.deepcopy(canvas), None)

    # ----------------------------------------------------------------- lifecycle

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        """Stops serving; then raises AssertionError if any request (or reply) broke Benchling's published
        contract during the run (see take_violations())."""
        self.server.shutdown()
        self.server.server_close()
        violations = self.take_violations()
        if violations:
            raise AssertionError(f"{len(violations)} request(s) to the fake Benchling broke its published API "
                                 "contract (tests/fixtures/benchling-openapi):\n  " + "\n  ".join(violations))

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
