"""Names in and around a package: the names of the objects an entry links to (entry.json `links[].name`,
looked up in the fake Benchling), and package names Quilt accepts (an entry whose display id cannot form one
fails before anything is exported and goes straight to the dead-letter queue)."""
import json
import time
import unittest

from harness.fake_benchling import EXPORT
from harness.module_world import ModuleWorld
from harness.world import work_queue_name


def setUpModule():
    global BASE, MOTO, FAKE, WORLD, STACK, SQS, SVC
    BASE = ModuleWorld("quilt-names")
    MOTO, FAKE, WORLD, STACK, SQS = BASE.moto, BASE.fake, BASE.world, BASE.stack, BASE.sqs
    SVC = BASE.start_service("bw/names")


def tearDownModule():
    BASE.stop()


def post_event(entry_id, event_type="v2.entry.updated.fields"):
    BASE.accept_event(SVC, entry_id, event_type)


def get_paths():
    with FAKE._lock:
        return [r["path"] for r in FAKE.requests if r["method"] == "GET"]


def link(type_, id_=None, web_url=None):
    out = {"type": type_}
    if id_:
        out["id"] = id_
    if web_url:
        out["webURL"] = web_url
    return out


def cell(text, link_=None):
    return {"text": text, **({"link": link_} if link_ else {})}


class LinkNames(unittest.TestCase):
    def test_links_from_notes_table_cells_and_fields_are_named_each_id_fetched_once(self):
        t = f"https://{FAKE.tenant}.benchling.com/t/f/lib_x"
        FAKE.add_resource("custom-entities", "bfi_L1", "Antibody 7")
        FAKE.add_entry("etr_L2", display_id="EXP0902", name="Day 1 notes")
        FAKE.add_resource("containers", "con_L3", "Tube 3")
        FAKE.add_resource("locations", "loc_L4", "Freezer A")
        FAKE.add_resource("dna-sequences", "seq_L5", "pUC19")
        FAKE.add_resource("aa-sequences", "prtn_L6", "GFP")
        FAKE.add_resource("mixtures", "mxt_L7", "Buffer mix")
        FAKE.add_resource("boxes", "box_F1", "never shown")  # answered 403 below
        FAKE.add_resource("plates", "plt_F2", "never shown")  # answered with garbage below
        FAKE.add_resource("molecules", "mol_F4", "never shown")  # answered 500 below
        FAKE.fail_next("/api/v2/boxes/box_F1", 403, times=None)
        FAKE.fail_next("/api/v2/plates/plt_F2", 200, times=None, body=b"<html>not json</html>",
                       content_type="text/html")
        FAKE.fail_next("/api/v2/molecules/mol_F4", 500, times=None)
        days = [{"date": "2026-11-26", "notes": [
            {"type": "text", "text": "see", "links": [
                link("custom_entity", "bfi_L1", f"{t}/bfi_L1-antibody-7/edit"),
                link("entry", "etr_L2", f"{t}/etr_L2-day-1-notes/edit"),
                link("box", "box_F1", f"{t}/box_F1"),
                link("plate", "plt_F2", f"{t}/plt_F2-p"),
                link("sql_dashboard", web_url=f"{t}/dash/9"),
            ]},
            {"type": "table", "text": "samples", "links": [], "table": {"name": "Table1", "rows": [
                {"cells": [cell("tube", link("container", "con_L3", f"{t}/con_L3")),
                           cell("again", link("custom_entity", "bfi_L1", f"{t}/bfi_L1-antibody-7/edit"))]},
                {"cells": [cell("where", link("location", "loc_L4")),
                           cell("gone", link("custom_entity", "bfi_F3", f"{t}/bfi_F3-gone")),
                           cell("plain")]},
            ]}},
        ]}]
        fields = {
            "Plasmid": {"type": "dna_sequence_link", "value": "seq_L5", "isMulti": False},
            "Protein": {"type": "aa_sequence_link", "value": ["prtn_L6"], "isMulti": True},
            "Buffer": {"type": "mixture_link", "value": "mxt_L7", "isMulti": False},
            "Molecule": {"type": "molecule_link", "value": "mol_F4", "isMulti": False},
            "Lot": {"type": "batch_link", "value": "bat_B1", "isMulti": False},
            "Sample": {"type": "custom_entity_link", "value": "bfi_L1", "isMulti": False},
        }
        FAKE.add_entry("etr_links", display_id="EXP0901", name="Linked", days=days, fields=fields)
        post_event("etr_links")
        self.assertEqual(len(WORLD.packager_messages("benchling/EXP0901")), 1, "a failed lookup never fails the job")

        entry = json.loads(MOTO.client("s3").get_object(Bucket="user-bucket",
                                                       Key="benchling/EXP0901/entry.json")["Body"].read())
        names = {(l["type"], l["id"]): l["name"] for l in entry["links"]}
        self.assertEqual(names, {
            ("custom_entity", "bfi_L1"): "Antibody 7",
            ("entry", "etr_L2"): "Day 1 notes",       # GET /entries/{id} wraps it in {"entry": ...}
            ("box", "box_F1"): None,                  # 403
            ("plate", "plt_F2"): None,                # a reply that is not JSON
            ("sql_dashboard", None): None,            # nothing to look up
            ("container", "con_L3"): "Tube 3",        # table cell
            ("location", "loc_L4"): "Freezer A",      # table cell, no webURL
            ("custom_entity", "bfi_F3"): None,        # 404
            ("dna_sequence", "seq_L5"): "pUC19",      # dna_sequence_link field
            ("aa_sequence", "prtn_L6"): "GFP",        # aa_sequence_link field, multi
            ("mixture", "mxt_L7"): "Buffer mix",      # mixture_link field
            ("molecule", "mol_F4"): None,             # 500
            ("batch", "bat_B1"): None,                # batches have no GET by id
        })
        self.assertEqual(len(entry["links"]), 13, "bfi_L1 (note, cell and field) is listed once")
        self.assertEqual(entry["links"][0], {"type": "custom_entity", "id": "bfi_L1", "name": "Antibody 7",
                                             "slug": "antibody-7"})

        paths = get_paths()
        for path in ["/api/v2/custom-entities/bfi_L1", "/api/v2/entries/etr_L2", "/api/v2/boxes/box_F1",
                     "/api/v2/plates/plt_F2", "/api/v2/containers/con_L3", "/api/v2/locations/loc_L4",
                     "/api/v2/custom-entities/bfi_F3", "/api/v2/dna-sequences/seq_L5",
                     "/api/v2/aa-sequences/prtn_L6", "/api/v2/mixtures/mxt_L7", "/api/v2/molecules/mol_F4"]:
            self.assertEqual(paths.count(path), 1, f"{path} fetched once: {paths}")
        self.assertFalse([p for p in paths if "bat_B1" in p], "no lookup without an endpoint")


class PackageNames(unittest.TestCase):
    def test_display_id_quilt_refuses_fails_before_export_and_is_dead_lettered_at_once(self):
        FAKE.add_entry("etr_badname", display_id="EXP 0907", name="Spaced out", canvas_id="cnvs_badname")
        exports_before = FAKE.count(EXPORT)
        post_event("etr_badname")

        dlq_url = SQS.get_queue_url(QueueName=work_queue_name(STACK, "bw/names").replace(".fifo", "-dlq.fifo"))
        deadline, got = time.monotonic() + 30, []
        while time.monotonic() < deadline and not got:
            got = SQS.receive_message(QueueUrl=dlq_url["QueueUrl"], WaitTimeSeconds=1,
                                      MessageSystemAttributeNames=["All"]).get("Messages", [])
        self.assertEqual(len(got), 1, SVC.output()[-3000:])
        self.assertIn("etr_badname", got[0]["Body"])
        self.assertEqual(got[0]["Attributes"]["MessageGroupId"], "entry:etr_badname")

        def failed_lines():
            return [json.loads(l) for l in SVC.output().splitlines()
                    if l.startswith("{") and "job failed permanently" in l and "etr_badname" in l]
        deadline = time.monotonic() + 10  # the line follows the DeleteMessage that follows the move
        while time.monotonic() < deadline and not failed_lines():
            time.sleep(0.1)
        out, failed = SVC.output(), failed_lines()
        self.assertEqual(len(failed), 1, out[-3000:])
        self.assertEqual(failed[0]["receives"], 1, "moved on its first receive, not after five")
        self.assertIn("display_id 'EXP 0907' cannot be part of a Quilt package name", failed[0]["error"])
        self.assertIn("contains ' ' (a space)", failed[0]["error"])
        self.assertIn('"benchling/EXP25000076"', failed[0]["suggestion"])
        self.assertNotIn("it will be retried", "\n".join(l for l in out.splitlines() if "etr_badname" in l))

        # Nothing exported, uploaded or sent.
        self.assertEqual(FAKE.count(EXPORT), exports_before)
        self.assertFalse([t for t in FAKE.tasks.values() if t["entry_id"] == "etr_badname"])
        self.assertEqual(WORLD.objects("benchling/EXP 0907"), {})
        self.assertEqual(WORLD.packager_messages_now("benchling/EXP 0907"), [])  # the job has ended: none

        # The entry's own canvas says what is wrong.
        self.assertTrue(FAKE.wait_until(lambda fake: any(c == "cnvs_badname" for c, _ in fake.canvas_patches)), "no canvas PATCH")
        shown = json.dumps(FAKE.patches_for("cnvs_badname")[-1])
        self.assertIn("cannot be part of a Quilt package name", shown)
        self.assertIn("EXP 0907", shown)


if __name__ == "__main__":
    unittest.main()
