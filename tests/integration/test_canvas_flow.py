"""The canvas the service creates, followed the way a user meets it: Benchling's v2.canvas.initialized carries
no canvas id (since 2023), so the app creates the canvas on the entry, shows "preparing", then "Updating…",
packages the entry, shows the package with its linked packages, and a later Quilt package-revision event
refreshes that same canvas. Runs the real binary against moto and the fake Benchling."""
import json
import unittest

from harness import athena_rows, leaks, waiting
from harness.canvas_blocks import block
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.quilt import write_package
from harness.service import Service, base_env
from harness.world import (CLIENT_SECRET, World, create_athena_workgroup, create_events_queue, create_work_queue,
                           service_workgroup_name, settings_hash, valid_secret)

SECRET = "bw/canvas-flow"
APP_ID = "app_FlowA8x2Qd"  # the installed app, as Benchling names it in every app webhook


def setUpModule():
    global MOTO, FAKE, WORLD, STACK, S3, SQS, SVC
    MOTO = MotoServer().start()
    FAKE = FakeBenchling(polls_before_done=0).start()
    WORLD = World(MOTO)
    WORLD.create_bucket("user-bucket")
    STACK = WORLD.create_stack("quilt-canvas-flow")
    S3 = MOTO.client("s3")
    SQS = MOTO.client("sqs")
    WORLD.create_secret(SECRET, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
    create_work_queue(MOTO, STACK, SECRET)
    create_events_queue(MOTO, STACK, SECRET)
    create_athena_workgroup(MOTO, service_workgroup_name(STACK, SECRET))  # as the deploy does
    SVC = Service(base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=SECRET), args=["--workers", "2"]).start()
    SVC.wait_ready()


def tearDownModule():
    SVC.stop()
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=1)


def wait_for(predicate, what, timeout=60):
    return waiting.wait_for(predicate, timeout, what)


def queue_athena_rows(names):
    athena_rows.queue_athena_rows(MOTO, names)


def initialized(entry_id):
    """v2.canvas.initialized as Benchling sends it today: app.id, the entry, the feature, and no canvas id."""
    return json.dumps({"version": "0", "baseURL": FAKE.url, "tenantId": "ten_flow", "app": {"id": APP_ID},
                       "appDefinition": {"id": FAKE.app_definition_id, "versionNumber": "1.0.0"},
                       "channel": "app_signals",
                       "message": {"type": "v2.canvas.initialized", "resourceId": entry_id, "featureId": "quilt_entry",
                                   "userId": "ent_flow", "deprecated": False}}).encode()


def clicked(canvas_id, entry_id, button):
    """v2.canvas.userInteracted: a user clicked `button` on the canvas."""
    return json.dumps({"version": "0", "baseURL": FAKE.url, "tenantId": "ten_flow", "app": {"id": APP_ID},
                       "channel": "app_signals",
                       "message": {"type": "v2.canvas.userInteracted", "canvasId": canvas_id, "resourceId": entry_id,
                                   "featureId": "quilt_entry", "buttonId": button, "userId": "ent_flow"}}).encode()


def entry_updated(entry_id):
    return json.dumps({"version": "0", "baseURL": FAKE.url, "channel": "events",
                       "message": {"type": "v2.entry.updated.fields", "resourceId": entry_id,
                                   "id": f"evt_{entry_id}", "updates": ["field_1"],
                                   "createdAt": "2026-12-03T10:00:00.000000+00:00"}}).encode()


class ClickWhileExportsHoldEveryWorker(unittest.TestCase):
    def test_a_click_is_answered_on_the_canvas_while_more_exports_run_than_there_are_workers(self):
        held = [f"etr_busy{i}" for i in range(3)]  # the service runs 2 export workers
        for i, entry_id in enumerate(held):
            FAKE.add_entry(entry_id, display_id=f"EXP09{i:02d}")
            FAKE.set_export(entry_id, outcome="never")  # RUNNING until released below
        try:
            for entry_id in held:
                body = entry_updated(entry_id)
                status, _, _ = SVC.request("POST", "/event", body=body, headers=FAKE.sign(body))
                self.assertEqual(status, 200)
            # Both export workers are inside a running export; the third job waits in the work queue.
            wait_for(lambda: len({t["entry_id"] for t in list(FAKE.tasks.values()) if t["entry_id"] in held}) == 2,
                     "two exports holding both workers")

            FAKE.add_entry("etr_click", display_id="EXP0999")
            FAKE.add_canvas("cnvs_click", resource_id="etr_click")
            body = clicked("cnvs_click", "etr_click", "browse-files-etr_click-p0-s15")
            status, _, _ = SVC.request("POST", "/canvas", body=body, headers=FAKE.sign(body))
            self.assertEqual(status, 202)
            patch = wait_for(lambda: FAKE.patches_for("cnvs_click"), "the click's PATCH")[0]
            self.assertIn("Package Not Created", block(patch, "md-no-package")["value"])
            # ...answered while every export still runs: none of the held entries has a package yet.
            with FAKE._lock:
                running = [t for t in FAKE.tasks.values() if t["entry_id"] in held]
            self.assertTrue(all(t["outcome"] == "never" for t in running))
            self.assertEqual([k for k in WORLD.objects("benchling/EXP09") if k.endswith("entry.json")], [])
            # The click came through the canvas queue, and its wait there is on /metrics.
            _, metrics, _ = SVC.get("/metrics")
            self.assertRegex(metrics, r'benchling_webhook_job_receive_lag_seconds_count\{queue="canvas"\} [1-9]')
        finally:
            with FAKE._lock:
                for task in FAKE.tasks.values():
                    if task["entry_id"] in held:
                        task["outcome"] = "succeed"
            for entry_id in held:
                FAKE.set_export(entry_id)
        # Nothing was lost: every held export finishes once Benchling does.
        for i in range(3):
            wait_for(lambda: f"benchling/EXP09{i:02d}/entry.json" in WORLD.objects(f"benchling/EXP09{i:02d}/"),
                     f"entry.json of EXP09{i:02d}")


class CanvasCreatedByTheApp(unittest.TestCase):
    def test_initialized_without_an_id_to_packaged_to_refreshed_by_a_package_revision(self):
        entry_id, display_id = "etr_flow1", "EXP0401"
        package = f"benchling/{display_id}"
        FAKE.add_entry(entry_id, display_id=display_id, name="Flow entry",
                       export_zip=[("data/plate.csv", b"well,value\nA1,3\n")])
        queue_athena_rows(["lab/assay-9", package])
        creates_before = len(FAKE.canvas_creates)

        body = initialized(entry_id)
        status, _, _ = SVC.request("POST", "/canvas", body=body, headers=FAKE.sign(body))
        self.assertEqual(status, 202)

        # 1. The canvas is created on the entry, owned by the webhook's app, with the neutral placeholder.
        create = wait_for(lambda: FAKE.canvas_creates[creates_before:], "the canvas create")[0]
        self.assertEqual((create["resourceId"], create["featureId"], create["appId"]),
                         (entry_id, "quilt_entry", APP_ID))
        self.assertIn("Preparing", block(create, "md-preparing")["value"])
        self.assertNotIn("md-error", json.dumps(create))
        self.assertTrue(block(create, "browse-files-etr_flow1-p0-s15")["enabled"])
        canvas_id = wait_for(lambda: next((cid for cid, c in FAKE.canvases.items()
                                           if c.get("resourceId") == entry_id), None), "the new canvas")
        self.assertEqual(FAKE.canvases[canvas_id]["app"], {"id": APP_ID})  # AppCanvas: owned by the app

        # 2. "Updating…" while the package is made, with Update Package disabled.
        first = wait_for(lambda: FAKE.patches_for(canvas_id), "the first PATCH")[0]
        self.assertIn("Updating", block(first, "md-footer")["value"])
        self.assertFalse(block(first, "update-package-etr_flow1")["enabled"])

        # 3. Packaged: the files and entry.json in S3, entry.json naming the canvas the app created.
        objects = wait_for(lambda: (lambda o: o if f"{package}/entry.json" in o else None)(
            WORLD.objects(package + "/")), "entry.json")
        self.assertIn(f"{package}/data/plate.csv", objects)
        entry_json = json.loads(S3.get_object(Bucket="user-bucket", Key=f"{package}/entry.json")["Body"].read())
        self.assertEqual(entry_json["canvas_id"], canvas_id)
        self.assertEqual(len(WORLD.packager_messages(package)), 1)

        # 4. The canvas leaves "Updating…": the main view with the package and its linked packages.
        def updated():
            done = [p for p in FAKE.patches_for(canvas_id) if "Updated at" in block(p, "md-footer")["value"]]
            return done[-1] if done else None
        done = wait_for(updated, "the main view after packaging")
        md = block(done, "md1")["value"]
        self.assertIn(f"## {display_id}", md)
        self.assertIn(f"[{package}](https://quilt.example.com/b/user-bucket/packages/{package})", md)
        linked = md[md.index("### Linked Packages"):]
        self.assertIn("[lab/assay-9]", linked)
        self.assertNotIn(f"[{package}]", linked)  # its own package is not "linked"
        self.assertTrue(block(done, "update-package-etr_flow1")["enabled"])
        self.assertTrue(done["enabled"])

        # 5. Quilt publishes the revision (written here as the packager would, with our entry.json):
        # the package-revision event refreshes the same canvas, found through entry.json.
        patches_before = len(FAKE.patches_for(canvas_id))
        top = write_package(S3, "user-bucket", package, [("data/plate.csv", b"well,value\nA1,3\n")],
                            entry_json=entry_json)
        queue_athena_rows(["lab/assay-9", "lab/assay-11"])
        events = SQS.get_queue_url(QueueName=f"benchling-webhook-{settings_hash(STACK, SECRET)}-events")["QueueUrl"]
        SQS.send_message(QueueUrl=events, MessageBody=json.dumps({
            "version": "0", "detail-type": "package-revision", "source": "com.quiltdata",
            "detail": {"version": "0.1", "type": "created", "bucket": "user-bucket", "handle": package,
                       "topHash": top}}))
        refreshed = wait_for(lambda: FAKE.patches_for(canvas_id)[patches_before:], "the refresh")[-1]
        md = block(refreshed, "md1")["value"]
        self.assertIn(f"## {display_id}", md)
        self.assertIn("[lab/assay-11]", md[md.index("### Linked Packages"):])
        self.assertIn("Updated at", block(refreshed, "md-footer")["value"])
        # One canvas for the entry, however many jobs ran.
        self.assertEqual(len(FAKE.canvas_creates) - creates_before, 1)


if __name__ == "__main__":
    unittest.main()
