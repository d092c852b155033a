"""The App Canvas through the real binary: canvas webhooks become worker jobs whose PATCHes (to the fake
Benchling) show the package, its files page by page, its metadata, linked packages from Athena (moto),
and a refresh when Quilt publishes a new revision."""
import json
import time
import unittest
import urllib.request

from harness import leaks
from harness.fake_benchling import CANVAS_PATCH, FakeBenchling
from harness.faulty_proxy import FaultyProxy
from harness.moto import ACCOUNT, REGION, MotoServer
from harness.quilt import write_package
from harness.service import Service, base_env
from harness.world import (CLIENT_SECRET, World, create_events_queue, create_work_queue, settings_hash,
                           valid_secret)

CATALOG = "quilt.example.com"
FILES = [(f"data/sample-{i:02d}.csv", f"{i}\n".encode() * (i + 1)) for i in range(20)]


def setUpModule():
    global MOTO, FAKE, WORLD, STACK, S3, SQS
    MOTO = MotoServer().start()
    FAKE = FakeBenchling(polls_before_done=0).start()
    WORLD = World(MOTO)
    WORLD.create_bucket("user-bucket")
    STACK = WORLD.create_stack("quilt-canvas")
    S3 = MOTO.client("s3")
    SQS = MOTO.client("sqs")


def tearDownModule():
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=3)


def new_service(secret, athena_endpoint=None):
    WORLD.create_secret(secret, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
    create_work_queue(MOTO, STACK, secret)
    create_events_queue(MOTO, STACK, secret)
    env = base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=secret, AWS_ENDPOINT_URL_ATHENA=athena_endpoint)
    svc = Service(env, args=["--workers", "2"]).start()
    svc.wait_ready()
    return svc


def canvas_event(canvas_id, entry_id=None, event_type="v2.canvas.created", button=None):
    message = {"type": event_type, "canvasId": canvas_id, "featureId": "quilt_entry", "userId": "ent_1"}
    if entry_id:
        message["resourceId"] = entry_id
    if button:
        message["buttonId"] = button
    return json.dumps({"version": "0", "baseURL": FAKE.url, "channel": "app_signals", "message": message}).encode()


def post_canvas(svc, body):
    status, reply, _ = svc.request("POST", "/canvas", body=body, headers=FAKE.sign(body))
    assert status == 202, (status, reply)
    return reply


def wait_patch(canvas_id, count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        patches = FAKE.patches_for(canvas_id)
        if len(patches) >= count:
            return patches[count - 1]
        time.sleep(0.05)
    raise AssertionError(f"canvas {canvas_id}: {len(FAKE.patches_for(canvas_id))} PATCHes, wanted {count}")


def block(body, block_id):
    for b in body["blocks"]:
        if b["id"] == block_id:
            return b
        for child in b.get("children", []):
            if child["id"] == block_id:
                return child
    raise AssertionError(f"no block {block_id} in {[b['id'] for b in body['blocks']]}")


def queue_athena_rows(rows):
    """moto returns these rows to the next Athena query (real Athena's first row is the header)."""
    data = [{"Data": [{"VarCharValue": v} for v in ("pkg_name", "timestamp", "message", "user_meta")]}]
    for name in rows:
        data.append({"Data": [{"VarCharValue": name}, {"VarCharValue": "2026-11-01 10:00:00"},
                              {"VarCharValue": "linked"}, {"VarCharValue": "{}"}]})
    payload = json.dumps({"account_id": ACCOUNT, "region": REGION, "results": [{"rows": data, "column_info": [
        {"Name": n, "Type": "varchar"} for n in ("pkg_name", "timestamp", "message", "user_meta")]}]}).encode()
    req = urllib.request.Request(MOTO.url + "/moto-api/static/athena/query-results", data=payload, method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


class Canvas(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.svc = new_service("bw/canvas")

    @classmethod
    def tearDownClass(cls):
        cls.svc.stop()

    def test_canvas_created_shows_updating_then_the_package_with_linked_packages(self):
        FAKE.add_entry("etr_cv1", display_id="EXP0301", name="Canvas entry", export_zip=FILES[:2])
        FAKE.add_canvas("cnvs_1", resource_id="etr_cv1")
        queue_athena_rows(["benchling/EXP0301", "lab/assay-7", "lab/assay-2"])
        post_canvas(self.svc, canvas_event("cnvs_1", "etr_cv1"))
        first = wait_patch("cnvs_1", 1)
        self.assertTrue(first["enabled"])
        self.assertIn("Updating", block(first, "md-footer")["value"])
        self.assertFalse(block(first, "update-package-etr_cv1")["enabled"])
        # The packaging job, then the main view with the package and catalog links.
        done = wait_patch("cnvs_1", 3, timeout=60)  # packaging job: Updating... again, then Updated
        md = block(done, "md1")["value"]
        self.assertIn("## EXP0301", md)
        self.assertIn(f"[benchling/EXP0301](https://{CATALOG}/b/user-bucket/packages/benchling/EXP0301)", md)
        self.assertIn(f"https://{CATALOG}/redir/quilt%2Bs3%3A%2F%2Fuser-bucket%23package%3Dbenchling%2FEXP0301", md)
        self.assertIn("Updated at", block(done, "md-footer")["value"])
        # Linked packages from Athena (moto's queued rows), sorted, the entry's own package left out.
        linked = md[md.index("### Linked Packages"):]
        self.assertLess(linked.index("[lab/assay-2]"), linked.index("[lab/assay-7]"))
        self.assertNotIn("[benchling/EXP0301]", linked)
        self.assertTrue(block(done, "browse-files-etr_cv1-p0-s15")["enabled"])
        self.assertTrue(block(done, "update-package-etr_cv1")["enabled"])
        self.assertTrue(done["enabled"])

    def test_browse_next_page_metadata_back_each_patch_and_answers_before_benchling(self):
        FAKE.add_entry("etr_cv2", display_id="EXP0302", name="Browse me")
        FAKE.add_canvas("cnvs_2", resource_id="etr_cv2")
        write_package(S3, "user-bucket", "benchling/EXP0302", FILES,
                      entry_json={"entry_id": "etr_cv2", "display_id": "EXP0302",
                                  "details": {"instrument": "plate reader", "wells": [1, 2]},
                                  "web_url": "https://quilt-test.benchling.com/etr_cv2"})
        FAKE.delay(1.5, "/api/v2/app-canvases")  # a slow Benchling must not slow the webhook answer
        try:
            steps = [("browse-files-etr_cv2-p0-s15", "md-browser", "Page 1 of 2"),
                     ("next-page-etr_cv2-p1-s15", "md-browser", "Page 2 of 2"),
                     ("view-metadata-etr_cv2-p1-s15", "md-metadata", "**instrument**: plate reader"),
                     ("back-to-package-etr_cv2", "md1", "## EXP0302")]
            for n, (button, block_id, text) in enumerate(steps, start=1):
                before = FAKE.count(CANVAS_PATCH)
                reply = post_canvas(self.svc, canvas_event("cnvs_2", event_type="v2.canvas.userInteracted",
                                                           button=button))
                self.assertEqual(FAKE.count(CANVAS_PATCH), before, "answered only after calling Benchling")
                self.assertEqual(reply["status"], "ACCEPTED")
                body = wait_patch("cnvs_2", n)
                self.assertIn(text, block(body, block_id)["value"], button)
                self.assertTrue(body["enabled"])
        finally:
            FAKE.delay(0, "/api/v2/app-canvases")
        page2 = FAKE.patches_for("cnvs_2")[1]
        self.assertIn("Showing files 16-21 of 21", block(page2, "md-browser")["value"])
        self.assertFalse(block(page2, "next-page-etr_cv2-p1-s15")["enabled"])
        self.assertTrue(block(page2, "prev-page-etr_cv2-p0-s15")["enabled"])

    def test_browsing_a_package_not_created_yet_says_so_with_working_buttons(self):
        FAKE.add_entry("etr_cv3", display_id="EXP0303")
        FAKE.add_canvas("cnvs_3", resource_id="etr_cv3")
        post_canvas(self.svc, canvas_event("cnvs_3", event_type="v2.canvas.userInteracted",
                                           button="browse-files-etr_cv3-p0-s15"))
        body = wait_patch("cnvs_3", 1)
        self.assertIn("Package Not Created", block(body, "md-no-package")["value"])
        self.assertTrue(block(body, "update-package-etr_cv3")["enabled"])

    def test_initialized_without_a_canvas_id_creates_the_canvas_on_the_entry(self):
        FAKE.add_entry("etr_cv6", display_id="EXP0306", export_zip=FILES[:1])
        created = len(FAKE.canvas_creates)
        body = json.dumps({"version": "0", "channel": "app_signals", "app": {"id": "app_cv6Installed"},
                           "message": {"type": "v2.canvas.initialized", "resourceId": "etr_cv6",
                                       "featureId": "quilt_entry"}}).encode()
        status, _, _ = self.svc.request("POST", "/canvas", body=body, headers=FAKE.sign(body))
        self.assertEqual(status, 202)
        deadline = time.monotonic() + 30
        while len(FAKE.canvas_creates) == created and time.monotonic() < deadline:
            time.sleep(0.05)
        new = FAKE.canvas_creates[created]
        self.assertEqual((new["resourceId"], new["featureId"], new["appId"]),
                         ("etr_cv6", "quilt_entry", "app_cv6Installed"))  # the webhook's app.id
        canvas_id = next(cid for cid, c in FAKE.canvases.items() if c.get("resourceId") == "etr_cv6")
        self.assertEqual(FAKE.canvases[canvas_id]["app"], {"id": "app_cv6Installed"})
        first = wait_patch(canvas_id, 1)
        self.assertIn("## EXP0306", block(first, "md1")["value"])

    def test_a_package_revision_event_refreshes_the_canvas(self):
        FAKE.add_entry("etr_cv4", display_id="EXP0304")
        FAKE.add_canvas("cnvs_4", resource_id="etr_cv4")
        top = write_package(S3, "user-bucket", "benchling/EXP0304", FILES[:1],
                            entry_json={"entry_id": "etr_cv4", "canvas_id": "cnvs_4"})
        url = SQS.get_queue_url(QueueName=f"benchling-webhook-{settings_hash(STACK, 'bw/canvas')}-events")["QueueUrl"]
        SQS.send_message(QueueUrl=url, MessageBody=json.dumps({
            "version": "0", "detail-type": "package-revision", "source": "com.quiltdata",
            "detail": {"version": "0.1", "type": "created", "bucket": "user-bucket", "handle": "benchling/EXP0304",
                       "topHash": top}}))
        body = wait_patch("cnvs_4", 1)
        self.assertIn("## EXP0304", block(body, "md1")["value"])
        self.assertIn("Updated at", block(body, "md-footer")["value"])


class AthenaFailure(unittest.TestCase):
    def test_a_failed_linked_package_search_is_a_warning_on_the_canvas(self):
        with FaultyProxy(MOTO.url) as proxy:
            proxy.fail("POST", "/", status=400, times=1000)  # every Athena call refused
            svc = new_service("bw/athena-down", athena_endpoint=proxy.url)
            try:
                FAKE.add_entry("etr_cv5", display_id="EXP0305")
                FAKE.add_canvas("cnvs_5", resource_id="etr_cv5")
                post_canvas(svc, canvas_event("cnvs_5", event_type="v2.canvas.userInteracted",
                                              button="back-to-package-etr_cv5"))
                body = wait_patch("cnvs_5", 1)
                md = block(body, "md1")["value"]
                self.assertIn("Warnings", md)
                self.assertIn("Failed to search for linked packages", md)
                self.assertTrue(block(body, "browse-files-etr_cv5-p0-s15")["enabled"])
            finally:
                svc.stop()


if __name__ == "__main__":
    unittest.main()
