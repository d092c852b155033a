"""deploy's pre-flight against moto, issue 12: the image (ECR tag, repository, platform) and the queues
(one of ours left by another stack), each refused before any stack exists; and ECS's reasons for stopped
tasks while the stack settles."""
import subprocess
import threading
import time
import unittest

from harness import leaks
from harness.ecr import image_uri, push_image
from harness.ecs_tasks import fail_task, hold, release
from harness.moto import ACCOUNT, REGION, MotoServer
from harness.service import BINARY, base_env, run_cli
from harness.world import CLIENT_SECRET, World, create_work_queue, settings_hash, valid_secret

REPO = "bw-checks"


def setUpModule():
    global MOTO, WORLD
    MOTO = MotoServer().start()
    WORLD = World(MOTO)
    WORLD.create_bucket("user-bucket")


def tearDownModule():
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=1)


def env_for(stack_arn, secret):
    return base_env(MOTO.url, QuiltStackARN=stack_arn, BenchlingSecret=secret)


def live_stacks():
    cfn = MOTO.client("cloudformation")
    return {s["StackName"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"}


class Image(unittest.TestCase):
    """An ECR --image-uri must exist and be built for linux/amd64 before any change set."""

    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-image")
        WORLD.create_secret("bw/image", valid_secret())
        cls.env = env_for(cls.stack_arn, "bw/image")
        cls.good_digest = push_image(MOTO, REPO, "1.0.0")
        push_image(MOTO, REPO, "multi", platforms=("linux/arm64/v8", "linux/amd64"), index=True)
        push_image(MOTO, REPO, "arm-only", platforms=("linux/arm64/v8",), index=True)
        push_image(MOTO, REPO, "arm-single", platforms=("linux/arm64",))
        push_image(MOTO, REPO, "no-blob", config_blob=False)

    def deploy(self, stack, image, *flags):
        return run_cli(["deploy", "--image-uri", image, "--stack-name", stack, "--poll-interval", "0.1", *flags],
                       self.env, timeout=120)

    def refused(self, stack, image):
        rc, out, err = self.deploy(stack, image, "--yes")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("Not deploying: the image cannot run.", out)
        self.assertNotIn(stack, live_stacks())
        return out, err

    def test_a_missing_tag_names_repository_and_tag_and_how_to_push(self):
        out, err = self.refused("bw-img-notag", image_uri(REPO, "9.9.9"))
        self.assertIn(f"[FAIL] Image {image_uri(REPO, '9.9.9')}: ECR repository {REPO} has no image with tag 9.9.9",
                      out)
        self.assertIn("scripts/image.sh --push", err)
        self.assertIn(f"aws ecr describe-images --repository-name {REPO} --region {REGION}", err)

    def test_a_missing_repository_is_named_with_its_account(self):
        uri = image_uri("no-such-repo", "1.0.0")
        out, err = self.refused("bw-img-norepo", uri)
        self.assertIn(f"ECR repository no-such-repo does not exist in account {ACCOUNT} ({REGION})", err)
        self.assertIn("scripts/image.sh --push", err)

    def test_a_manifest_list_without_amd64_names_what_it_has(self):
        out, err = self.refused("bw-img-arm", image_uri(REPO, "arm-only"))
        self.assertIn("The image is built for linux/arm64/v8, but the tasks run on linux/amd64", err)
        self.assertIn("--platform linux/amd64", err)
        self.assertNotIn("unknown", out + err)  # the attestation entry is not a platform

    def test_a_single_arm64_image_is_read_from_its_config_blob(self):
        out, err = self.refused("bw-img-armsingle", image_uri(REPO, "arm-single"))
        self.assertIn("The image is built for linux/arm64, but the tasks run on linux/amd64", err)

    def test_a_good_image_reaches_the_deploy(self):
        uri = image_uri(REPO, "1.0.0")
        # Its own settings: the stack's queues would otherwise take the names of the other tests' stacks.
        WORLD.create_secret("bw/image-ok", valid_secret())
        rc, out, err = run_cli(["deploy", "--image-uri", uri, "--stack-name", "bw-img-ok", "--poll-interval", "0.1",
                                "--yes"], env_for(self.stack_arn, "bw/image-ok"), timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"[ok]   Image {uri}: in ECR, linux/amd64, {self.good_digest}", out)
        self.assertIn("CREATE_COMPLETE", out)
        self.assertEqual(MOTO.client("cloudformation").describe_stacks(StackName="bw-img-ok")["Stacks"][0]
                         ["StackStatus"], "CREATE_COMPLETE")

    def test_a_multi_platform_image_and_a_digest_pass(self):
        # Without --yes and without a terminal, deploy stops at the confirmation: past every pre-flight.
        for uri, shown in ((image_uri(REPO, "multi"), "in ECR (multi-platform), linux/amd64"),
                           (f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{REPO}@{self.good_digest}",
                            "in ECR, linux/amd64")):
            rc, out, err = self.deploy("bw-img-multi", uri)
            self.assertEqual(rc, 1)
            self.assertIn(f"[ok]   Image {uri}: {shown}", out)
            self.assertIn("Not applying the change set", err)
            self.assertNotIn("bw-img-multi", live_stacks())

    def test_an_image_without_a_readable_config_says_its_platform_is_unchecked(self):
        uri = image_uri(REPO, "no-blob")
        rc, out, err = self.deploy("bw-img-noblob", uri)
        self.assertIn(f"[ok]   Image {uri}: in ECR; platform unchecked (its config blob could not be read", out)
        self.assertIn("it must be linux/amd64", out)
        self.assertIn("Not applying the change set", err)

    def test_an_image_in_another_region_is_checked_in_its_region(self):
        push_image(MOTO, REPO, "west", region="us-west-2")
        uri = image_uri(REPO, "west", region="us-west-2")
        rc, out, err = self.deploy("bw-img-west", uri)
        self.assertIn(f"[ok]   Image {uri}: in ECR, linux/amd64", out)
        self.assertIn("Not applying the change set", err)
        out, err = self.refused("bw-img-west", image_uri(REPO, "1.0.0", region="us-west-2"))
        self.assertIn(f"ECR repository {REPO} has no image with tag 1.0.0", out)
        self.assertIn(f"--repository-name {REPO} --region us-west-2", err)

    def test_an_image_of_another_registry_is_reported_unchecked_not_refused(self):
        uri = "public.ecr.aws/quilt/benchling-webhook:1.0.0"
        rc, out, err = self.deploy("bw-img-public", uri)
        self.assertIn(f"[--]   Image {uri}: unchecked (not an ECR image", out)
        self.assertIn("Not applying the change set", err)


class Queues(unittest.TestCase):
    """Our queue names are derived from the two settings: one that exists and is not this stack's would make
    CloudFormation fail late and roll everything back; deploy names it first."""

    @classmethod
    def setUpClass(cls):
        cls.image = image_uri(REPO, "q")
        push_image(MOTO, REPO, "q")

    def settings(self, name):
        stack_arn = WORLD.create_stack(f"quilt-{name}")
        WORLD.create_secret(f"bw/{name}", valid_secret())
        return stack_arn, f"bw/{name}", env_for(stack_arn, f"bw/{name}")

    def deploy(self, env, stack, image=None):
        return run_cli(["deploy", "--image-uri", image or self.image, "--stack-name", stack, "--yes",
                        "--poll-interval", "0.1"], env, timeout=120)

    def test_a_queue_made_by_hand_stops_the_first_deploy_with_the_delete_command(self):
        stack_arn, secret, env = self.settings("q-hand")
        create_work_queue(MOTO, stack_arn, secret)  # the work and canvas queues and their dead-letter queue
        h = settings_hash(stack_arn, secret)
        rc, out, err = self.deploy(env, "bw-q-hand")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("[FAIL] Queues: 3 of the service's queues already exist and are not part of stack bw-q-hand: "
                      "left by another stack deployed with the same Quilt stack and secret, or made by hand", out)
        for name in (f"benchling-webhook-{h}.fifo", f"benchling-webhook-{h}-canvas.fifo",
                     f"benchling-webhook-{h}-dlq.fifo"):
            url = f"{MOTO.url}/{ACCOUNT}/{name}"
            self.assertIn(f"[FAIL] {name}: {url}", out)
            self.assertIn(f"aws sqs delete-queue --queue-url {url} --region {REGION}", err)
        self.assertNotIn(f"benchling-webhook-{h}-events", out)  # free names are not listed
        self.assertIn("Not deploying: a queue name is taken.", out)
        self.assertNotIn("bw-q-hand", live_stacks())

    def test_our_own_stack_updates_and_another_stack_with_the_same_settings_is_refused(self):
        stack_arn, secret, env = self.settings("q-own")
        h = settings_hash(stack_arn, secret)
        rc, out, err = self.deploy(env, "bw-q-own")
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"[ok]   Queues: none of benchling-webhook-{h}* exists yet (the stack creates them)", out)

        push_image(MOTO, REPO, "q2")
        rc, out, err = self.deploy(env, "bw-q-own", image_uri(REPO, "q2"))
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"[ok]   Queues: benchling-webhook-{h}* belong to stack bw-q-own", out)
        self.assertIn("UPDATE_COMPLETE", out)

        rc, out, err = self.deploy(env, "bw-q-twin")
        self.assertEqual(rc, 1, out + err)
        self.assertIn("5 of the service's queues already exist and are not part of stack bw-q-twin", out)
        self.assertIn("benchling-webhook destroy --stack-name", err)
        self.assertNotIn("bw-q-twin", live_stacks())


class RunningDeploy:
    """`deploy --yes` in the background, its output collected line by line."""

    def __init__(self, env, stack, image):
        self.proc = subprocess.Popen([BINARY, "deploy", "--image-uri", image, "--stack-name", stack, "--yes",
                                      "--poll-interval", "0.1"], env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.out, self.err = [], []
        self.threads = [threading.Thread(target=self._pump, args=(s, into), daemon=True)
                        for s, into in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self.threads:
            t.start()

    def _pump(self, stream, into):
        for line in stream:
            into.append(line)

    def text(self):
        return "".join(self.out), "".join(self.err)

    def wait_for(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            if text in self.text()[0]:
                return
            time.sleep(0.05)
        out, err = self.text()
        if text not in out:
            raise AssertionError(f"deploy never printed {text!r}:\n{out}{err}")

    def finish(self, timeout=60):
        rc = self.proc.wait(timeout)
        for t in self.threads:
            t.join(5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        leaks.record("".join(self.out))
        leaks.record("".join(self.err))
        return (rc, *self.text())


class StoppedTasks(unittest.TestCase):
    """While the stack settles, deploy shows ECS's reasons for stopped tasks and the failed task's last log
    lines, and stops waiting after three tasks failed the same way."""

    @classmethod
    def setUpClass(cls):
        cls.image = image_uri(REPO, "t")
        push_image(MOTO, REPO, "t")

    def start(self, name):
        stack_arn = WORLD.create_stack(f"quilt-{name}")
        WORLD.create_secret(f"bw/{name}", valid_secret())
        hold(MOTO, name)
        self.addCleanup(release, MOTO, name)
        return RunningDeploy(env_for(stack_arn, f"bw/{name}"), name, self.image)

    def test_three_image_pull_failures_stop_the_deploy_with_the_reason_and_the_fix(self):
        deploy = self.start("bw-t-pull")
        reason = ("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve "
                  "ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/bw-checks:t: not found")
        first = fail_task(MOTO, "bw-t-pull", "TaskFailedToStart", reason)
        deploy.wait_for(f"ECS task {first} stopped: {reason} (TaskFailedToStart)")
        self.assertIsNone(deploy.proc.poll())  # one failure: still waiting
        others = [fail_task(MOTO, "bw-t-pull", "TaskFailedToStart", reason) for _ in range(2)]
        rc, out, err = deploy.finish()
        self.assertEqual(rc, 1, out + err)
        for task in [first, *others]:
            self.assertEqual(out.count(f"ECS task {task} stopped: CannotPullContainerError"), 1, out)
        self.assertIn("  container benchling-webhook: never ran", out)
        self.assertIn("error: 3 tasks stopped with the same failure (image pull): CannotPullContainerError", err)
        self.assertIn("--image-uri", err)
        self.assertIn("Not waiting for ECS's circuit breaker", err)
        self.assertIn("benchling-webhook status --stack-name bw-t-pull", err)
        # deploy stopped waiting; the stack itself is left to CloudFormation.
        self.assertEqual(MOTO.client("cloudformation").describe_stacks(StackName="bw-t-pull")["Stacks"][0]
                         ["StackStatus"], "CREATE_IN_PROGRESS")

    def test_a_crashing_container_shows_its_exit_code_and_last_log_lines_and_deploy_goes_on(self):
        deploy = self.start("bw-t-exit")
        lines = [f'{{"level":"INFO","msg":"line {i}"}}' for i in range(1, 13)]
        lines[-1] = '{"level":"ERROR","msg":"cannot resolve the configuration"}'
        task = fail_task(MOTO, "bw-t-exit", "EssentialContainerExited", "Essential container in task exited",
                         exit_code=1, log_lines=lines)
        deploy.wait_for("cannot resolve the configuration")
        # Tasks stopped on purpose (a deployment replacing them) are not failures and are not shown.
        quiet = fail_task(MOTO, "bw-t-exit", "ServiceSchedulerInitiated",
                          "Scaling activity initiated by (deployment ecs-svc/0123456789)", exit_code=0)
        release(MOTO, "bw-t-exit")  # the service becomes steady: the stack completes
        rc, out, err = deploy.finish()
        self.assertEqual(rc, 0, out + err)
        self.assertIn(f"ECS task {task} stopped: Essential container in task exited (EssentialContainerExited)", out)
        self.assertIn("  container benchling-webhook: exit code 1", out)
        self.assertIn(f"benchling-webhook/benchling-webhook/{task}):", out)
        shown = out[out.index("last log lines"):].splitlines()[1:11]
        self.assertEqual([line.strip() for line in shown], lines[2:])  # the last ten, oldest first
        self.assertNotIn(quiet, out)
        self.assertIn("Stack bw-t-exit is CREATE_COMPLETE.", out)


if __name__ == "__main__":
    unittest.main()
