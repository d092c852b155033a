"""The fake Benchling holds requests, and its own replies, to Benchling's published API v2 contract
(tests/fixtures/benchling-openapi): a body the real API would refuse is answered 400 with the schema error and
recorded as a violation that fails the module; valid bodies are served; replies are shaped as documented.
Plain HTTP against the fake, no service."""
import base64
import glob
import json
import os
import re
import unittest
import urllib.error
import urllib.request

from harness import benchling_spec
from harness.fake_benchling import CANVAS_FEATURE_ID, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, FakeBenchling

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
CANVAS_FIXTURES = os.path.join(ROOT, "tests", "fixtures", "canvas")


def call(fake, method, path, body=None, token=None, content_type="application/json", headers=None):
    """(status, parsed JSON reply)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    h = dict(headers or {})
    if data is not None:
        h["Content-Type"] = content_type
    if token:
        h["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(fake.url + path, method=method, data=data, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def get_token(fake, client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET,
              form=b"grant_type=client_credentials"):
    basic = base64.b64encode(f"{client_id}:{client_secret}".encode()).decode()
    return call(fake, "POST", "/api/v2/token", form, content_type="application/x-www-form-urlencoded",
                headers={"Authorization": f"Basic {basic}"})


def markdown(block_id, value="text"):
    return {"type": "MARKDOWN", "id": block_id, "value": value}


def button(block_id, text="Go"):
    return {"type": "BUTTON", "id": block_id, "text": text, "enabled": True}


class Contract(unittest.TestCase):
    def setUp(self):
        self.fake = FakeBenchling().start()
        status, reply = get_token(self.fake)
        self.assertEqual(status, 200, reply)
        self.token = reply["access_token"]
        self.fake.add_entry("etr_1", "EXP1", canvas_id="cnvs_1")

    def tearDown(self):
        self.fake.stop()  # raises if a test left a violation it did not take

    def refused(self, method, path, body, expected_error, **kw):
        """Asserts `body` is answered 400 in Benchling's shape with `expected_error` in the schema error, and
        recorded as the one violation; returns the message."""
        status, reply = call(self.fake, method, path, body, token=self.token, **kw)
        self.assertEqual(status, 400, reply)
        self.assertEqual(set(reply), {"error"})
        self.assertEqual(reply["error"]["type"], "invalid_request_error")
        self.assertIn(expected_error, reply["error"]["message"])
        self.assertTrue(reply["error"]["userMessage"])
        self.assertIsNone(benchling_spec.response_violation(method, path, 400, reply, "BadRequestError"))
        violations = self.fake.take_violations()
        self.assertEqual(len(violations), 1, violations)
        self.assertIn(f"{method} {path}: ", violations[0])
        self.assertIn(expected_error, violations[0])
        return reply["error"]["message"]

    # --------------------------------------------------------------- canvas update (AppCanvasUpdate)

    def test_a_valid_update_with_every_block_kind_the_service_sends_is_served(self):
        body = {"blocks": [{"type": "SECTION", "id": "s1", "children": [button("b1"), markdown("m0")]},
                           markdown("m1"), button("b2")], "enabled": True}
        status, reply = call(self.fake, "PATCH", "/api/v2/app-canvases/cnvs_1", body, token=self.token)
        self.assertEqual(status, 200, reply)
        self.assertEqual(reply["blocks"], body["blocks"])
        self.assertEqual(self.fake.patches_for("cnvs_1"), [body])
        self.assertEqual(self.fake.take_violations(), [])

    def test_the_service_canvas_views_in_the_fixtures_are_valid_updates(self):
        """tests/fixtures/canvas holds the views the C++ unit tests pin: each is a valid AppCanvasUpdate."""
        checked = 0
        for path in sorted(glob.glob(os.path.join(CANVAS_FIXTURES, "*.json"))):
            with open(path, encoding="utf-8") as f:
                view = json.load(f)
            if not (isinstance(view, list) and all(isinstance(b, dict) and "type" in b for b in view)):
                continue  # an input, not a view
            with self.subTest(view=os.path.basename(path)):
                self.assertIsNone(benchling_spec.violation("AppCanvasUpdate", {"blocks": view, "enabled": True}))
                checked += 1
        self.assertGreaterEqual(checked, 10)

    def test_an_unknown_block_type_is_refused(self):
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", {"blocks": [{"type": "HEADING", "id": "h", "value": "x"}]},
                     "blocks[0]")
        self.assertEqual(self.fake.patches_for("cnvs_1"), [])  # refused: not applied, not recorded as a PATCH

    def test_a_button_without_id_is_refused(self):
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", {"blocks": [{"type": "BUTTON", "text": "Go"}]},
                     "'id' is a required property")

    def test_a_button_without_id_inside_a_section_is_refused(self):
        body = {"blocks": [{"type": "SECTION", "id": "s", "children": [{"type": "BUTTON", "text": "Go"}]}]}
        message = self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", body, "'id' is a required property")
        self.assertIn("blocks[0].children[0]", message)

    def test_a_section_without_children_is_refused(self):
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", {"blocks": [{"type": "SECTION", "id": "s"}]},
                     "'children' is a required property")

    def test_a_property_the_markdown_block_does_not_have_is_refused(self):
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1",
                     {"blocks": [{"type": "MARKDOWN", "id": "m", "value": "x", "style": "bold"}]},
                     "'style' was unexpected")

    def test_an_update_property_the_api_does_not_have_is_refused(self):
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", {"blocks": [], "appId": "app_1"}, "'appId' was unexpected")

    def test_wrong_types_and_non_json_are_refused(self):
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", {"blocks": [], "enabled": "yes"},
                     "is not of type 'boolean'")
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", b"{not json", "not JSON")
        self.refused("PATCH", "/api/v2/app-canvases/cnvs_1", {"blocks": []}, "Content-Type 'text/plain'",
                     content_type="text/plain")

    # --------------------------------------------------------------- canvas create (AppCanvasCreate)

    def create_body(self, **overrides):
        body = {"blocks": [markdown("m1", "Preparing...")], "enabled": True, "featureId": CANVAS_FEATURE_ID,
                "resourceId": "etr_1", "appId": "app_created"}
        body.update(overrides)
        return {k: v for k, v in body.items() if v is not None}

    def test_a_valid_create_answers_an_app_canvas_with_its_app(self):
        status, created = call(self.fake, "POST", "/api/v2/app-canvases", self.create_body(), token=self.token)
        self.assertEqual(status, 201, created)
        self.assertEqual(created["app"], {"id": "app_created"})
        self.assertNotIn("appId", created)
        self.assertEqual((created["resourceId"], created["featureId"]), ("etr_1", CANVAS_FEATURE_ID))
        status, got = call(self.fake, "GET", f"/api/v2/app-canvases/{created['id']}", token=self.token)
        self.assertEqual((status, got), (200, created))
        self.assertEqual(self.fake.take_violations(), [])

    def test_a_create_without_feature_id_is_refused(self):
        self.refused("POST", "/api/v2/app-canvases", self.create_body(featureId=None), "'featureId' is a required")
        self.assertEqual(self.fake.canvas_creates, [])

    def test_a_create_without_app_id_is_refused(self):
        self.refused("POST", "/api/v2/app-canvases", self.create_body(appId=None), "'appId' is a required")

    def test_a_create_with_an_unknown_block_is_refused(self):
        self.refused("POST", "/api/v2/app-canvases", self.create_body(blocks=[{"type": "IMAGE", "id": "i"}]),
                     "blocks[0]")

    # --------------------------------------------------------------- reads

    def test_get_canvas_is_an_app_canvas_with_app_id_inside_app(self):
        status, canvas = call(self.fake, "GET", "/api/v2/app-canvases/cnvs_1", token=self.token)
        self.assertEqual(status, 200)
        self.assertEqual(canvas["app"], {"id": self.fake.app_id})
        self.assertNotIn("appId", canvas)
        self.assertEqual(canvas["featureId"], CANVAS_FEATURE_ID)
        self.assertIsNone(benchling_spec.response_violation("GET", "/api/v2/app-canvases/cnvs_1", 200, canvas))

    def test_entry_export_and_task_replies_are_the_documented_shapes(self):
        status, entry = call(self.fake, "GET", "/api/v2/entries/etr_1", token=self.token)
        self.assertEqual(status, 200)
        self.assertIsNone(benchling_spec.violation("EntryById", entry, read=True))
        status, link = call(self.fake, "POST", "/api/v2/exports", {"id": "etr_1", "format": "html"}, token=self.token)
        self.assertEqual(status, 202, link)
        for _ in range(3):
            status, task = call(self.fake, "GET", f"/api/v2/tasks/{link['taskId']}", token=self.token)
            self.assertEqual(status, 200)
            self.assertIsNone(benchling_spec.violation("ExportsAsyncTask", task, read=True))
        self.assertEqual(task["status"], "SUCCEEDED")
        status, missing = call(self.fake, "GET", "/api/v2/entries/etr_nope", token=self.token)
        self.assertEqual(status, 404)
        self.assertIsNone(benchling_spec.violation("NotFoundError", missing, read=True))
        self.assertEqual(self.fake.take_violations(), [])  # nor did the fake's self-check find anything

    def test_an_export_request_with_a_property_the_api_does_not_have_is_refused(self):
        self.refused("POST", "/api/v2/exports", {"id": "etr_1", "entryId": "etr_1"}, "'entryId' was unexpected")
        self.refused("POST", "/api/v2/exports", {"format": "html"}, "'id' is a required property")

    # --------------------------------------------------------------- token (TokenCreate)

    def test_wrong_client_credentials_answer_invalid_client_401(self):
        status, reply = get_token(self.fake, client_secret="cs-wrong")
        self.assertEqual(status, 401)
        self.assertEqual(reply["error"]["type"], "invalid_client")
        self.assertTrue(reply["error"]["message"])
        self.assertIsNone(benchling_spec.response_violation("POST", "/api/v2/token", 401, reply))
        self.assertEqual(self.fake.take_violations(), [])  # a wrong secret is not a malformed request

    def test_a_token_request_with_another_grant_type_is_refused(self):
        status, reply = get_token(self.fake, form=b"grant_type=password")
        self.assertEqual(status, 400)
        self.assertEqual(reply["error"]["type"], "unsupported_grant_type")
        self.assertIsNone(benchling_spec.response_violation("POST", "/api/v2/token", 400, reply))
        violations = self.fake.take_violations()
        self.assertEqual(len(violations), 1)
        self.assertIn("TokenCreate: grant_type", violations[0])

    # --------------------------------------------------------------- reporting

    def test_stop_fails_with_the_violations_left(self):
        fake = FakeBenchling().start()
        token = get_token(fake)[1]["access_token"]
        call(fake, "PATCH", "/api/v2/app-canvases/cnvs_x", {"blocks": [{"type": "BUTTON", "text": "Go"}]},
             token=token)
        with self.assertRaises(AssertionError) as raised:
            fake.stop()
        self.assertIn("PATCH /api/v2/app-canvases/cnvs_x: AppCanvasUpdate: blocks[0]: 'id' is a required property",
                      str(raised.exception))


class SingleFeatureId(unittest.TestCase):
    def test_the_fake_canvas_feature_is_the_app_manifest_feature(self):
        with open(os.path.join(ROOT, "src", "deploy", "app_manifest.hpp"), encoding="utf-8") as f:
            m = re.search(r'kCanvasFeatureId\s*=\s*"([^"]+)"', f.read())
        self.assertIsNotNone(m)
        self.assertEqual(CANVAS_FEATURE_ID, m.group(1))


if __name__ == "__main__":
    unittest.main()
