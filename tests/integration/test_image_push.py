"""scripts/image.sh --push, at the wire of the tools it drives: `podman` and `aws` are stand-ins on PATH that
record their arguments (and what reached their stdin), so the order of the steps, the ECR calls and the handling
of the registry password are checked without a registry or a container engine."""
import os
import re
import stat
import subprocess
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE_SH = os.path.join(HERE, "..", "..", "scripts", "image.sh")
REPO = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/benchling-webhook"
PASSWORD = "ecr-login-password-5f1d2a"  # what `aws ecr get-login-password` prints

PODMAN = """#!/bin/sh
echo "podman $*" >> "$TOOL_LOG"
case "$1" in
  image) case "$*" in *Size*) echo 31457280 ;; esac ;;
  login) cat > "$TOOL_LOG.stdin" ;;
esac
exit 0
"""
AWS = """#!/bin/sh
echo "aws $*" >> "$TOOL_LOG"
case "$*" in
  *describe-repositories*) [ -f "$TOOL_LOG.repo" ] || { echo "RepositoryNotFoundException" >&2; exit 254; } ;;
  *create-repository*) touch "$TOOL_LOG.repo" ;;
  *get-login-password*) echo "%s" ;;
esac
exit 0
""" % PASSWORD


class ImagePush(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="bw-push-")
        for name, text in (("podman", PODMAN), ("aws", AWS)):
            path = os.path.join(self.dir, name)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, stat.S_IRWXU)
        self.log = os.path.join(self.dir, "tools.log")

    def run_script(self, *args):
        env = {"PATH": self.dir + ":/usr/bin:/bin", "TOOL_LOG": self.log, "HOME": self.dir}
        p = subprocess.run(["bash", IMAGE_SH, "--no-run", *args], env=env, capture_output=True, text=True,
                           timeout=60)
        calls = open(self.log).read().splitlines() if os.path.exists(self.log) else []
        return p, calls

    def test_first_push_creates_the_repository_logs_in_through_a_pipe_pushes_and_prints_the_image_uri(self):
        p, calls = self.run_script("--push", REPO)
        self.assertEqual(p.returncode, 0, p.stderr)
        build = next(c for c in calls if c.startswith("podman build"))
        self.assertIn("--platform linux/amd64", build)  # Fargate runs X86_64
        steps = [c.split()[0] + " " + c.split()[1 if c.startswith("podman") else 2] for c in calls]
        steps = steps[steps.index("podman build"):]
        # The password command and the login run together, as the two ends of one pipe.
        self.assertEqual(steps[:4], ["podman build", "podman image", "aws describe-repositories",
                                     "aws create-repository"])
        self.assertEqual(sorted(steps[4:6]), ["aws get-login-password", "podman login"])
        self.assertEqual(steps[6:], ["podman tag", "podman push"])
        create = next(c for c in calls if "create-repository" in c)
        self.assertIn("--region eu-west-2", create)
        self.assertIn("--repository-name benchling-webhook", create)
        self.assertIn("scanOnPush=true", create)
        login = next(c for c in calls if c.startswith("podman login"))
        self.assertTrue(login.endswith("--password-stdin 123456789012.dkr.ecr.eu-west-2.amazonaws.com"), login)
        self.assertEqual(open(self.log + ".stdin").read().strip(), PASSWORD)
        self.assertNotIn(PASSWORD, "\n".join(calls) + p.stdout + p.stderr)
        pushed = next(c for c in calls if c.startswith("podman push")).split()[-1]
        self.assertRegex(pushed, "^" + re.escape(REPO) + r":0\.1\.0-[0-9a-f]{7}$")
        self.assertIn(f"benchling-webhook deploy --image-uri {pushed}", p.stdout)

    def test_a_second_push_reuses_the_repository_and_takes_the_given_tag(self):
        self.run_script("--push", REPO)
        os.remove(self.log)
        p, calls = self.run_script("--push", REPO, "--push-tag", "2026-12-rc1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertFalse(any("create-repository" in c for c in calls), calls)
        self.assertIn(f"podman push {REPO}:2026-12-rc1", calls)

    def test_a_uri_that_is_not_an_ecr_repository_is_refused_before_any_build(self):
        for bad in ("docker.io/library/benchling-webhook", REPO + ":0.1.0", "12345.dkr.ecr.us-east-1.amazonaws.com/x"):
            p, calls = self.run_script("--push", bad)
            self.assertEqual(p.returncode, 2, bad)
            self.assertIn("ECR repository URI without a tag", p.stderr)
            self.assertEqual(calls, [], bad)


if __name__ == "__main__":
    unittest.main()
