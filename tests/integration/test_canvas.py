"""The App Canvas through the real binary: canvas webhooks become worker jobs whose PATCHes (to the fake
Benchling) show the package, its files page by page, its metadata, linked packages from Athena (moto),
and a refresh when Quilt publishes a new revision."""
import json
import time
import unittest

from harness import athena_rows, leaks
from harness.athena_rows import ICEBERG_COLUMNS, VIEW_COLUMNS
from harness.canvas_blocks import block
from harness.fake_benchling import CANVAS_PATCH, FakeBenchling
from harness.faulty_proxy import FaultyProxy
from harness.moto import MotoServer
from harness.quilt import write_package
from harness.service import Service, base_env
from harness.world import (CLIENT_SECRET, CURRENT_OUTPUTS, ICEBERG_DATABASE, USER_WORKGROUP, World,
                           athena_queries, create_athena_workgroup, create_events_queue, create_work_queue,
                           service_workgroup_name, settings_hash, valid_secret)

CATALOG = "quilt.example.com"
FILES = [(f"data/sample-{i:02d}.csv", f"{i}\n".encode() * (i + 1)) for i in range(20)]


# The linked-package search on each generation of Quilt stack, exactly as sent (values are parameters).
VIEW_SQL = ("SELECT pkg_name, timestamp, message, user_meta\n"
            "FROM \"userathenadatabase_test\".\"user-bucket_packages-view\"\n"
            "WHERE json_extract_scalar(user_meta, ?) = ?\n"
            "    AND timestamp = 'latest'\n"
            "LIMIT 100")
ICEBERG_SQL = ("SELECT t.pkg_name, t.tag_name, m.message, m.metadata\n"
               f"FROM \"{ICEBERG_DATABASE}\".\"user-bucket_package_tag\" t\n"
               f"JOIN \"{ICEBERG_DATABASE}\".\"user-bucket_package_manifest\" m ON t.top_hash = m.top_hash\n"
               "WHERE t.tag_name = 'latest'\n"
               "    AND json_extract_scalar(m.metadata, ?) = ?\n"
               "LIMIT 100")


def setUpModule():
    global MOTO, FAKE, WORLD, STACK, ICEBERG_STACK, S3, SQS
    MOTO = MotoServer().start()
    FAKE = FakeBenchling(polls_before_done=0).start()
    WORLD = World(MOTO)
    WORLD.create_bucket("user-bucket")
    STACK = WORLD.create_stack("quilt-canvas")
    ICEBERG_STACK = WORLD.create_stack("quilt-canvas-iceberg", outputs=CURRENT_OUTPUTS)
    create_athena_workgroup(MOTO, USER_WORKGROUP)
    S3 = MOTO.client("s3")
    SQS = MOTO.client("sqs")


def tearDownModule():
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=3)


def new_service(secret, athena_endpoint=None, stack=None):
    stack = stack or STACK
    WORLD.create_secret(secret, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
    create_work_queue(MOTO, stack, secret)
    create_events_queue(MOTO, stack, secret)
    create_athena_workgroup(MOTO, service_workgroup_name(stack, secret))  # as the deploy does
    env = base_env(MOTO.url, QuiltStackARN=stack, BenchlingSecret=secret, AWS_ENDPOINT_URL_ATHENA=athena_endpoint)
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


def queue_athena_rows(rows, columns=VIEW_COLUMNS):
    athena_rows.queue_athena_rows(MOTO, rows, columns)


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
        # A stack without IcebergDatabaseName: the packages view, in the deploy's workgroup (the stack
        # exports no UserAthenaWorkgroupName), the display id only as a parameter.
        queries = [q for q in athena_queries(MOTO, service_workgroup_name(STACK, "bw/canvas"))
                   if q.get("ExecutionParameters") == ["'$.experiment_id'", "'EXP0301'"]]
        self.assertEqual(len(queries), 1, queries)
        self.assertEqual(queries[0]["Query"], VIEW_SQL)
        self.assertEqual(queries[0]["WorkGroup"], service_workgroup_name(STACK, "bw/canvas"))
        self.assertEqual(queries[0]["QueryExecutionContext"], {"Database": "userathenadatabase_test"})
        self.assertNotIn("ResultConfiguration", {k: v for k, v in queries[0].items() if v})

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
                views = [[b["id"] for b in patch["blocks"]][:2] for patch in FAKE.patches_for("cnvs_2")]
                self.assertIn(block_id, [b["id"] for b in body["blocks"]],
                              f"{button}: PATCHes so far {views}\n{self.svc.output()[-4000:]}")
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


class CurrentQuiltStack(unittest.TestCase):
    """A Quilt 1.70+ stack: IcebergDatabaseName, UserAthenaWorkgroupName, and the packager queue only as
    QueueUrl (no PackagerQueueArn)."""

    @classmethod
    def setUpClass(cls):
        cls.svc = new_service("bw/canvas-iceberg", stack=ICEBERG_STACK)

    @classmethod
    def tearDownClass(cls):
        cls.svc.stop()

    def test_linked_packages_come_from_the_iceberg_tables_in_the_stacks_workgroup(self):
        FAKE.add_entry("etr_cv11", display_id="EXP0311", name="Iceberg entry", export_zip=FILES[:1])
        FAKE.add_canvas("cnvs_11", resource_id="etr_cv11")
        queue_athena_rows(["lab/iceberg-b", "lab/iceberg-a"], columns=ICEBERG_COLUMNS)
        post_canvas(self.svc, canvas_event("cnvs_11", "etr_cv11"))
        done = wait_patch("cnvs_11", 3, timeout=60)
        md = block(done, "md1")["value"]
        self.assertIn("Updated at", block(done, "md-footer")["value"])
        self.assertNotIn("Failed to search for linked packages", md)
        linked = md[md.index("### Linked Packages"):]
        self.assertLess(linked.index("[lab/iceberg-a]"), linked.index("[lab/iceberg-b]"))
        queries = [q for q in athena_queries(MOTO, USER_WORKGROUP)
                   if q.get("ExecutionParameters") == ["'$.experiment_id'", "'EXP0311'"]]
        self.assertEqual(len(queries), 1, queries)
        self.assertEqual(queries[0]["Query"], ICEBERG_SQL)
        self.assertEqual(queries[0]["WorkGroup"], USER_WORKGROUP)
        self.assertEqual(queries[0]["QueryExecutionContext"], {"Database": ICEBERG_DATABASE})
        self.assertEqual(athena_queries(MOTO, service_workgroup_name(ICEBERG_STACK, "bw/canvas-iceberg")), [])
        # The packaging job behind that canvas reached the packager queue named only by QueueUrl.
        messages = WORLD.packager_messages("benchling/EXP0311")
        self.assertEqual(len(messages), 1)
        self.assertEqual(json.loads(messages[0])["source_prefix"], "s3://user-bucket/benchling/EXP0311/")


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
