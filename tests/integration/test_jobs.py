"""`benchling-webhook jobs`: the dead-letter operations, at the wire against moto. Jobs fail in the real service
(a display id Quilt refuses: dead-lettered at once; an export that is not a ZIP: five receives), the consumer
records the last error on the dead letter, `jobs` lists them, `jobs redrive` sends them back to the queue they
came from in their message groups and the healthy service packages them, `jobs purge` asks first. Deployments
without a service cover what SQS moves itself (no error recorded: the listing points at the logs), the
package-events dead-letter queue, listing bounds, unknown ids and a deployment that does not exist yet."""
import json
import os
import pty
import subprocess
import time
import unittest

from harness import leaks
from harness.module_world import ModuleWorld
from harness.service import base_env, run_cli
from harness.world import create_work_queue, settings_hash, work_queue_name

NOT_A_ZIP = b"PK\x03\x04 this is not a zip at all"


def setUpModule():
    global BASE, MOTO, FAKE, WORLD, STACK, SQS, SVC
    BASE = ModuleWorld("quilt-jobs")
    MOTO, FAKE, WORLD, STACK, SQS = BASE.moto, BASE.fake, BASE.world, BASE.stack, BASE.sqs
    SVC = BASE.start_service("bw/jobs", create_queues=create_queues)


def tearDownModule():
    BASE.stop(*FAKE.issued_tokens, *FAKE.download_signatures)


# ----------------------------------------------------------------------------------------------- helpers

def names(secret):
    h = settings_hash(STACK, secret)
    return {"work": work_queue_name(STACK, secret), "dlq": f"benchling-webhook-{h}-dlq.fifo",
            "events": f"benchling-webhook-{h}-events", "events_dlq": f"benchling-webhook-{h}-events-dlq"}


def url(name):
    return SQS.get_queue_url(QueueName=name)["QueueUrl"]


def create_queues(secret):
    """The work queue, the package-events queue and their dead-letter queues, as the deploy creates them."""
    create_work_queue(MOTO, STACK, secret)
    n = names(secret)
    dlq = SQS.create_queue(QueueName=n["events_dlq"])["QueueUrl"]
    arn = SQS.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    SQS.create_queue(QueueName=n["events"], Attributes={
        "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": "5"})})
    return n


def jobs(secret, *args):
    return run_cli(["jobs", *args], base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=secret))


def listed(secret, *args):
    rc, out, err = jobs(secret, "--json", *args)
    assert rc == 0, (rc, out, err)
    return json.loads(out)


def wait_listed(secret, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [j for j in listed(secret)["jobs"] if predicate(j)]
        if found:
            return found
        time.sleep(0.5)
    return []


def counts(name):
    """(visible, in flight) messages of queue `name`."""
    a = SQS.get_queue_attributes(QueueUrl=url(name), AttributeNames=["All"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def post_event(entry_id, event_type="v2.entry.updated.fields"):
    BASE.accept_event(SVC, entry_id, event_type)


def job_body(entry_id):
    """A work-queue job as the service writes it (queue/job.hpp)."""
    envelope = json.dumps({"message": {"type": "v2.entry.created", "resourceId": entry_id}})
    return json.dumps({"v": 1, "kind": "package", "route": "event", "webhook_id": "wh_" + entry_id,
                       "received_at": "2026-12-03T10:00:00Z", "group_id": "entry:" + entry_id,
                       "envelope": envelope})


def receive_until_moved(queue_url):
    """Receives the queue's one message until SQS moves it to the dead-letter queue (maxReceiveCount 5),
    never deleting it: a consumer that keeps crashing."""
    for _ in range(6):
        SQS.receive_message(QueueUrl=queue_url, VisibilityTimeout=0, WaitTimeSeconds=0)
    assert SQS.receive_message(QueueUrl=queue_url, WaitTimeSeconds=0).get("Messages") is None


def sqs_dead_letter(secret, entry_id):
    """A job SQS moved to the work queue's dead-letter queue itself. Returns the queue names."""
    n = create_queues(secret)
    SQS.send_message(QueueUrl=url(n["work"]), MessageBody=job_body(entry_id), MessageGroupId="entry:" + entry_id,
                     MessageDeduplicationId="wh_" + entry_id)
    receive_until_moved(url(n["work"]))
    assert counts(n["dlq"]) == (1, 0)
    return n


def jobs_on_a_terminal(secret, args, answer):
    """Runs `jobs ARGS` with its stdin on a pseudo-terminal, typing `answer` once it asks; (rc, output)."""
    from harness.service import BINARY
    leader, follower = pty.openpty()
    try:
        p = subprocess.Popen([BINARY, "jobs", *args], stdin=follower, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True,
                             env=base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret=secret))
        os.write(leader, answer.encode() + b"\n")  # read once the question is out: the line waits in the tty
        out, _ = p.communicate(timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    leaks.record(out)
    return p.returncode, out


def service_lines(pred):
    out = []
    for line in SVC.output().splitlines():
        if line.startswith("{"):
            try:
                l = json.loads(line)
            except ValueError:
                continue
            if pred(l):
                out.append(l)
    return out


# ------------------------------------------------------------------------------------------------- tests

class ServiceDeadLetters(unittest.TestCase):
    """Jobs the real service failed."""

    def test_a_permanent_failure_is_listed_with_its_error_then_redriven_and_packaged(self):
        n = names("bw/jobs")
        FAKE.add_entry("etr_jobs_name", display_id="EXP 0910", name="Spaced")
        post_event("etr_jobs_name")
        [job] = wait_listed("bw/jobs", lambda j: j["entry_id"] == "etr_jobs_name", timeout=30)
        self.assertEqual(job["kind"], "package")
        self.assertEqual(job["event_type"], "v2.entry.updated.fields")
        self.assertEqual(job["group"], "entry:etr_jobs_name")
        self.assertEqual(job["queue"], n["dlq"])
        self.assertEqual(job["source_queue"], n["work"])
        self.assertEqual(job["receives"], 1)
        self.assertTrue(job["receives_recorded"])
        self.assertTrue(job["last_error"].startswith("invalid_argument: "), job["last_error"])
        self.assertIn("display_id 'EXP 0910' cannot be part of a Quilt package name", job["last_error"])
        self.assertLessEqual(len(job["last_error"]), 501)
        for key in ("received_at", "sent_at", "first_received_at"):
            self.assertRegex(job[key], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", key)
        self.assertNotIn("logs_command", job)
        # The same id is on the service's log line about the failure.
        [failed] = service_lines(lambda l: "job failed permanently" in l.get("msg", "")
                                 and l.get("message_id") == job["source_message_id"])
        self.assertIn("EXP 0910", failed["error"])

        # Listing does not consume: the job is still there, visible, and listed again.
        self.assertEqual(counts(n["dlq"]), (1, 0))
        rc, out, err = jobs("bw/jobs")
        self.assertEqual(rc, 0, err)
        self.assertIn(job["message_id"] + "  (" + n["dlq"] + ")", out)
        self.assertIn("job:         entry packaging, entry etr_jobs_name (v2.entry.updated.fields)", out)
        self.assertIn("group:       entry:etr_jobs_name", out)
        self.assertIn("last error:  invalid_argument: Entry etr_jobs_name cannot be packaged: display_id 'EXP 0910'", out)
        self.assertIn("source:      " + n["work"], out)

        # Fixed in Benchling; redriven by id: back to the work queue in its group, and packaged.
        FAKE.add_entry("etr_jobs_name", display_id="EXP0910", name="Spaced")
        rc, out, err = jobs("bw/jobs", "redrive", job["message_id"])
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"moved {job['message_id']} (entry packaging, entry etr_jobs_name) to {n['work']}, "
                      f"group entry:etr_jobs_name, now message ", out)
        self.assertIn("1 job(s) moved back.", out)
        self.assertEqual(len(WORLD.packager_messages("benchling/EXP0910")), 1, SVC.output()[-3000:])
        self.assertFalse([j for j in listed("bw/jobs")["jobs"] if j["entry_id"] == "etr_jobs_name"])
        started = service_lines(lambda l: l.get("msg") == "job started" and l.get("group") == "entry:etr_jobs_name")
        self.assertEqual(len(started), 2, "the first run, then the redriven one")
        self.assertEqual(started[-1]["receives"], 1, "a fresh message in the work queue")

    def test_a_job_failing_its_fifth_receive_is_listed_with_its_last_error_then_redriven_when_healthy(self):
        n = names("bw/jobs")
        FAKE.add_entry("etr_jobs_zip", display_id="EXP0911", export_zip=NOT_A_ZIP)
        post_event("etr_jobs_zip")
        [job] = wait_listed("bw/jobs", lambda j: j["entry_id"] == "etr_jobs_zip", timeout=60)
        self.assertEqual(job["kind"], "package")
        self.assertEqual(job["receives"], 5)
        self.assertTrue(job["receives_recorded"])
        self.assertEqual(job["source_queue"], n["work"])
        self.assertEqual(job["group"], "entry:etr_jobs_zip")
        self.assertIn("Export of entry etr_jobs_zip rejected", job["last_error"])
        self.assertNotIn("?", job["last_error"].split("rejected")[0])
        # The last failure's line names the same source message.
        dead = service_lines(lambda l: l.get("msg") == "job failed; its message now goes to the dead-letter queue"
                             and l.get("message_id") == job["source_message_id"])
        self.assertEqual(len(dead), 1)
        self.assertEqual(dead[0]["receives"], 5)

        FAKE.set_export("etr_jobs_zip", zip=[("protocol.html", b"<html>ok</html>")])
        rc, out, err = jobs("bw/jobs", "redrive", job["message_id"])
        self.assertEqual(rc, 0, out + err)
        self.assertIn("group entry:etr_jobs_zip", out)
        self.assertEqual(len(WORLD.packager_messages("benchling/EXP0911")), 1, SVC.output()[-3000:])
        self.assertFalse([j for j in listed("bw/jobs")["jobs"] if j["entry_id"] == "etr_jobs_zip"])


    def test_a_package_event_the_service_cannot_read_is_dead_lettered_with_its_error(self):
        n = names("bw/jobs")
        SQS.send_message(QueueUrl=url(n["events"]), MessageBody='{"detail-type": "package-revision", "id": "ev-x"}')
        [job] = wait_listed("bw/jobs", lambda j: j["queue"] == n["events_dlq"], timeout=60)
        self.assertEqual(job["kind"], "unreadable")
        self.assertEqual(job["source_queue"], n["events"])
        self.assertEqual(job["receives"], 5)
        self.assertTrue(job["receives_recorded"])
        self.assertIn("package event", job["last_error"])
        self.assertTrue(job["last_error"].startswith("invalid_argument: "), job["last_error"])


class IdleDeadLetters(unittest.TestCase):
    """Deployments whose service is not running: what SQS does by itself, and the command's edges."""

    def test_a_job_sqs_moved_itself_points_at_the_logs_and_goes_back_to_its_recorded_source(self):
        n = sqs_dead_letter("bw/idle-sqs", "etr_idle")
        [job] = listed("bw/idle-sqs")["jobs"]
        self.assertEqual(job["kind"], "package")
        self.assertEqual(job["entry_id"], "etr_idle")
        self.assertEqual(job["event_type"], "v2.entry.created")
        self.assertEqual(job["received_at"], "2026-12-03T10:00:00Z")
        self.assertEqual(job["source_queue"], n["work"], "from SQS's DeadLetterQueueSourceArn")
        self.assertIsNone(job["last_error"])
        self.assertEqual(job["logs_command"],
                         f"benchling-webhook logs --since 14d --filter '\"{job['message_id']}\"'")
        self.assertFalse(job["receives_recorded"])
        self.assertGreaterEqual(job["receives"], 5)
        rc, out, _ = jobs("bw/idle-sqs", "list")
        self.assertEqual(rc, 0)
        self.assertIn("last error:  not recorded (SQS moved it); see logs: benchling-webhook logs --since 14d "
                      f"--filter '\"{job['message_id']}\"'", out)

        rc, out, err = jobs("bw/idle-sqs", "redrive", "--all")
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"to {n['work']}, group entry:etr_idle", out)
        self.assertEqual(counts(n["dlq"]), (0, 0))
        [back] = SQS.receive_message(QueueUrl=url(n["work"]), MessageSystemAttributeNames=["All"])["Messages"]
        self.assertEqual(back["Body"], job_body("etr_idle"))
        self.assertEqual(back["Attributes"]["MessageGroupId"], "entry:etr_idle")
        self.assertEqual(back["Attributes"]["MessageDeduplicationId"], "redrive-" + job["message_id"] + "-" +
                         back["Attributes"]["MessageDeduplicationId"].rsplit("-", 1)[1])

    def test_a_package_event_is_listed_from_its_dead_letter_queue_and_redriven_to_the_events_queue(self):
        n = create_queues("bw/idle-events")
        event = json.dumps({"source": "com.quiltdata", "detail-type": "package-revision",
                            "detail": {"bucket": "user-bucket", "handle": "benchling/EXP0920", "topHash": "ab" * 32}})
        SQS.send_message(QueueUrl=url(n["events"]), MessageBody=event)
        receive_until_moved(url(n["events"]))
        [job] = listed("bw/idle-events")["jobs"]
        self.assertEqual(job["kind"], "package_event")
        self.assertEqual(job["package"], "benchling/EXP0920")
        self.assertEqual(job["event_type"], "package-revision")
        self.assertEqual(job["queue"], n["events_dlq"])
        self.assertEqual(job["source_queue"], n["events"])
        self.assertIsNone(job["group"])
        rc, out, err = jobs("bw/idle-events", "redrive", job["message_id"])
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"moved {job['message_id']} (package event, package benchling/EXP0920) to {n['events']}", out)
        self.assertEqual(counts(n["events_dlq"]), (0, 0))
        [back] = SQS.receive_message(QueueUrl=url(n["events"]))["Messages"]
        self.assertEqual(back["Body"], event)

    def test_listing_is_bounded_by_limit_and_leaves_every_message_visible(self):
        n = create_queues("bw/idle-many")
        for i in range(3):
            SQS.send_message(QueueUrl=url(n["dlq"]), MessageBody=job_body(f"etr_many{i}"),
                             MessageGroupId=f"entry:etr_many{i}", MessageDeduplicationId=f"d{i}")
        page = listed("bw/idle-many", "--limit", "2")
        self.assertEqual(len(page["jobs"]), 2)
        self.assertTrue(page["truncated"])
        self.assertEqual(page["dead_letter_queues"], [n["dlq"], n["events_dlq"]])
        self.assertEqual(counts(n["dlq"]), (3, 0), "listed, not consumed nor left hidden")
        everything = listed("bw/idle-many")
        self.assertEqual(sorted(j["entry_id"] for j in everything["jobs"]), ["etr_many0", "etr_many1", "etr_many2"])
        self.assertFalse(everything["truncated"])
        self.assertEqual([j["source_queue"] for j in everything["jobs"]], [None] * 3, "nothing recorded where from")
        rc, out, _ = jobs("bw/idle-many", "--limit", "1")
        self.assertEqual(rc, 0)
        self.assertIn("1 dead-lettered job(s) in", out)
        self.assertIn("limit reached", out)
        # Without a recorded source, a redrive by id refuses, and nothing moves.
        rc, out, err = jobs("bw/idle-many", "redrive", everything["jobs"][0]["message_id"])
        self.assertEqual(rc, 1)
        self.assertIn("has no record of the queue it came from; nothing was moved", err)
        self.assertEqual(counts(n["dlq"]), (3, 0))

    def test_unknown_ids_are_an_error_naming_them_and_nothing_moves(self):
        n = sqs_dead_letter("bw/idle-unknown", "etr_unknown")
        [job] = listed("bw/idle-unknown")["jobs"]
        rc, out, err = jobs("bw/idle-unknown", "redrive", job["message_id"], "no-such-id", "other-id")
        self.assertEqual(rc, 1, out)
        self.assertIn("No dead-lettered job with id no-such-id, other-id; nothing was moved", err)
        self.assertIn("Use the message ids `benchling-webhook jobs` lists", err)
        self.assertEqual(counts(n["dlq"]), (1, 0))
        self.assertEqual(counts(n["work"]), (0, 0))

    def test_redrive_needs_ids_or_all(self):
        create_queues("bw/idle-usage")
        rc, _, err = jobs("bw/idle-usage", "redrive")
        self.assertEqual(rc, 2)
        self.assertIn("No jobs to redrive", err)
        rc, _, err = jobs("bw/idle-usage", "redrive", "--all", "some-id")
        self.assertEqual(rc, 2, err)

    def test_purge_refuses_without_a_terminal_or_yes_and_empties_both_queues_with_yes(self):
        n = sqs_dead_letter("bw/idle-purge", "etr_purge")
        SQS.send_message(QueueUrl=url(n["events_dlq"]), MessageBody="{}")
        rc, out, err = jobs("bw/idle-purge", "purge")
        self.assertEqual(rc, 1)
        self.assertIn("Not purging: nobody can confirm it here", err)
        self.assertIn("pass --yes", err)
        self.assertEqual(counts(n["dlq"]), (1, 0))
        self.assertEqual(counts(n["events_dlq"]), (1, 0))

        rc, out, err = jobs("bw/idle-purge", "purge", "--yes")
        self.assertEqual(rc, 0, err)
        self.assertIn(f"about 1 in {n['dlq']}, 1 in {n['events_dlq']}", out)
        self.assertIn(f"Purged {n['dlq']}.", out)
        self.assertEqual(counts(n["dlq"]), (0, 0))
        self.assertEqual(counts(n["events_dlq"]), (0, 0))
        self.assertEqual(listed("bw/idle-purge")["jobs"], [])

    def test_purge_on_a_terminal_asks_and_a_no_keeps_everything(self):
        n = sqs_dead_letter("bw/idle-ask", "etr_ask")
        rc, out = jobs_on_a_terminal("bw/idle-ask", ["purge"], "n")
        self.assertEqual(rc, 1, out)
        self.assertIn("Purge the dead-letter queues? [y/N]", out)
        self.assertIn("Cancelled: nothing was deleted", out)
        self.assertEqual(counts(n["dlq"]), (1, 0))
        rc, out = jobs_on_a_terminal("bw/idle-ask", ["purge"], "y")
        self.assertEqual(rc, 0, out)
        self.assertIn(f"Purged {n['dlq']}.", out)
        self.assertEqual(counts(n["dlq"]), (0, 0))

    def test_a_deployment_without_queues_says_to_deploy_first(self):
        n = names("bw/never-deployed")
        for args in ([], ["redrive", "--all"], ["purge", "--yes"]):
            rc, out, err = jobs("bw/never-deployed", *args)
            self.assertEqual(rc, 1, args)
            self.assertIn(f"Dead-letter queue {n['dlq']} does not exist", err)
            self.assertIn("Run `benchling-webhook deploy` first", err)

    def test_settings_come_from_flags_like_the_other_commands(self):
        create_queues("bw/idle-flags")
        env = base_env(MOTO.url)  # neither variable set
        rc, _, err = run_cli(["jobs"], env)
        self.assertEqual(rc, 2)
        self.assertIn("QuiltStackARN", err)
        rc, out, err = run_cli(["jobs", "list", "--json", "--quilt-stack-arn", STACK,
                                "--benchling-secret", "bw/idle-flags"], env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["jobs"], [])


if __name__ == "__main__":
    unittest.main()
