"""`benchling-webhook secret create|update|show`: the real binary against moto, checked through boto3.

The document is validated before anything is written, and the client secret never leaves the process."""
import json
import os
import subprocess
import tempfile
import unittest

from harness import leaks
from harness.moto import ACCOUNT, REGION, MotoServer
from harness.service import BINARY, base_env, run_cli
from harness.world import CLIENT_SECRET, World, valid_secret

STACK_ARN = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/quilt-test/11111111-2222-3333-4444-555555555555"


def setUpModule():
    global MOTO, WORLD, TMP
    MOTO = MotoServer().start()
    WORLD = World(MOTO)
    TMP = tempfile.TemporaryDirectory(prefix="bw-secret-")


def tearDownModule():
    TMP.cleanup()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=15)


def write_file(name, text):
    path = os.path.join(TMP.name, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def client_secret_file():
    return write_file("client_secret.txt", CLIENT_SECRET + "\n")  # as `echo` leaves it


def secret(args, **env):
    return run_cli(["secret", *args], base_env(MOTO.url, **env))


def stored(name) -> dict:
    return json.loads(WORLD.sm.get_secret_value(SecretId=name)["SecretString"])


def exists(name) -> bool:
    try:
        WORLD.sm.describe_secret(SecretId=name)
        return True
    except WORLD.sm.exceptions.ResourceNotFoundException:
        return False


def masked_json(stdout) -> dict:
    """The masked document: the block from the line '{' to the line '}'."""
    lines = stdout.splitlines()
    start = lines.index("{")
    end = lines.index("}", start)
    return json.loads("\n".join(lines[start:end + 1]))


def line_value(stdout, label):
    for line in stdout.splitlines():
        if line.startswith(label + ": "):
            return line[len(label) + 2:]
    raise AssertionError(f"no '{label}:' line in:\n{stdout}")


REQUIRED_FLAGS = ["--tenant", "quilt-test", "--client-id", "wqFfVOhbYe42", "--app-definition-id",
                  "appdef_wqFfaXBVMu", "--user-bucket", "user-bucket"]


class Create(unittest.TestCase):
    def test_create_from_flags_and_client_secret_file_writes_the_schema_with_defaults(self):
        rc, out, err = secret(["create", "--benchling-secret", "bw/create", "--region", REGION,
                               "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS])
        self.assertEqual(rc, 0, err)
        self.assertEqual(stored("bw/create"), {
            "tenant": "quilt-test", "client_id": "wqFfVOhbYe42", "client_secret": CLIENT_SECRET,
            "app_definition_id": "appdef_wqFfaXBVMu", "pkg_prefix": "benchling", "pkg_key": "experiment_id",
            "user_bucket": "user-bucket", "log_level": "INFO", "enable_webhook_verification": "true",
            "webhook_allow_list": ""})
        arn = WORLD.sm.describe_secret(SecretId="bw/create")["ARN"]
        self.assertEqual(line_value(out, "ARN"), arn)
        shown = masked_json(out)
        self.assertEqual(shown["client_secret"], "***")
        self.assertEqual(shown["client_id"], "***Ye42")
        self.assertEqual(shown["user_bucket"], "user-bucket")
        self.assertIn("secret TTL", out)
        self.assertNotIn(CLIENT_SECRET, out + err)

    def test_secret_written_is_two_space_json(self):
        rc, _, err = secret(["create", "--benchling-secret", "bw/pretty", "--region", REGION,
                             "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS])
        self.assertEqual(rc, 0, err)
        text = WORLD.sm.get_secret_value(SecretId="bw/pretty")["SecretString"]
        self.assertTrue(text.startswith('{\n  "tenant": "quilt-test",\n'), text[:40])

    def test_client_secret_from_stdin_and_names_from_the_environment(self):
        env = base_env(MOTO.url, BenchlingSecret="bw/stdin", QuiltStackARN=STACK_ARN)
        p = subprocess.run([BINARY, "secret", "create", "--client-secret-file", "-", *REQUIRED_FLAGS],
                           input=CLIENT_SECRET + "\n", env=env, capture_output=True, text=True, timeout=60)
        leaks.record(p.stdout)
        leaks.record(p.stderr)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(stored("bw/stdin")["client_secret"], CLIENT_SECRET)  # region from the stack ARN

    def test_create_again_fails_with_exit_1_and_says_use_update(self):
        WORLD.create_secret("bw/exists", valid_secret(user_bucket="first"))
        rc, out, err = secret(["create", "--benchling-secret", "bw/exists", "--region", REGION,
                               "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS])
        self.assertEqual(rc, 1, out)
        self.assertIn("Secret already exists: bw/exists", err)
        self.assertIn("benchling-webhook secret update", err)
        self.assertEqual(stored("bw/exists")["user_bucket"], "first")
        self.assertNotIn(CLIENT_SECRET, out + err)

    def test_missing_user_bucket_exits_1_naming_it_and_writes_nothing(self):
        flags = [f for f in REQUIRED_FLAGS if f not in ("--user-bucket", "user-bucket")]
        rc, out, err = secret(["create", "--benchling-secret", "bw/broken", "--region", REGION,
                               "--client-secret-file", client_secret_file(), *flags])
        self.assertEqual(rc, 1, out)
        self.assertIn("Missing required parameters in secret 'bw/broken'", err)
        self.assertIn("Missing: user_bucket", err)
        self.assertIn("--user-bucket", err)
        self.assertFalse(exists("bw/broken"))

    def test_invalid_value_exits_1_and_writes_nothing(self):
        rc, _, err = secret(["create", "--benchling-secret", "bw/badlevel", "--region", REGION,
                             "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS,
                             "--log-level", "verbose"])
        self.assertEqual(rc, 1)
        self.assertIn("Invalid value for parameter 'log_level'", err)
        self.assertFalse(exists("bw/badlevel"))

    def test_pkg_prefix_quilt_cannot_take_is_refused_and_nothing_written(self):
        for i, bad in enumerate(["lab/data", "r\u00e9sultats", "lab.data"]):
            rc, out, err = secret(["create", "--benchling-secret", f"bw/badprefix{i}", "--region", REGION,
                                   "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS,
                                   "--pkg-prefix", bad])
            self.assertEqual(rc, 1, out)
            self.assertIn("Invalid value for parameter 'pkg_prefix'", err)
            self.assertIn("Use only ASCII letters, digits 0-9, '_' and '-'", err)
            self.assertIn('"<pkg_prefix>/<display id>"', err)
            self.assertIn('e.g. "benchling"', err)
            self.assertFalse(exists(f"bw/badprefix{i}"))
        rc, _, err = secret(["create", "--benchling-secret", "bw/goodprefix", "--region", REGION,
                             "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS,
                             "--pkg-prefix", "lab-data_2"])
        self.assertEqual(rc, 0, err)
        self.assertEqual(stored("bw/goodprefix")["pkg_prefix"], "lab-data_2")

    def test_typo_in_from_file_is_rejected_by_name(self):
        path = write_file("typo.json", json.dumps({"client-id": "wqFfVOhbYe42", "user_bucket": "b"}))
        rc, _, err = secret(["create", "--benchling-secret", "bw/typo", "--region", REGION, "--from-file", path,
                             "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS])
        self.assertEqual(rc, 1)
        self.assertIn('Unknown key(s) in ' + path + ': "client-id"', err)
        self.assertIn('did you mean "client_id"', err)
        self.assertFalse(exists("bw/typo"))

    def test_from_file_with_flag_override(self):
        path = write_file("full.json", json.dumps(valid_secret(user_bucket="file-bucket", workflow="wf")))
        rc, _, err = secret(["create", "--benchling-secret", "bw/fromfile", "--region", REGION, "--from-file", path,
                             "--user-bucket", "flag-bucket"])
        self.assertEqual(rc, 0, err)
        value = stored("bw/fromfile")
        self.assertEqual(value["user_bucket"], "flag-bucket")
        self.assertEqual(value["workflow"], "wf")
        self.assertEqual(value["client_secret"], CLIENT_SECRET)

    def test_dry_run_prints_masked_document_and_writes_nothing(self):
        rc, out, err = secret(["create", "--benchling-secret", "bw/dry", "--region", REGION, "--dry-run",
                               "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS])
        self.assertEqual(rc, 0, err)
        self.assertIn("Dry run", out)
        self.assertEqual(masked_json(out)["client_secret"], "***")
        self.assertNotIn(CLIENT_SECRET, out + err)
        self.assertFalse(exists("bw/dry"))

    def test_no_region_is_a_usage_error(self):
        rc, _, err = secret(["create", "--benchling-secret", "bw/noregion",
                             "--client-secret-file", client_secret_file(), *REQUIRED_FLAGS])
        self.assertEqual(rc, 2)
        self.assertIn("give --region", err)

    def test_client_secret_is_refused_as_a_plain_flag_without_echoing_it(self):
        rc, out, err = secret(["create", "--benchling-secret", "bw/plain", "--region", REGION,
                               "--client-secret", CLIENT_SECRET, *REQUIRED_FLAGS])
        self.assertEqual(rc, 2)
        self.assertIn("--client-secret-file", err)
        self.assertNotIn(CLIENT_SECRET, out + err)
        self.assertFalse(exists("bw/plain"))


class ShowAndUpdate(unittest.TestCase):
    def test_show_prints_masked_secret_version_and_last_change(self):
        WORLD.create_secret("bw/show", valid_secret(workflow="wf"))
        rc, out, err = secret(["show", "--benchling-secret", "bw/show", "--region", REGION])
        self.assertEqual(rc, 0, err)
        shown = masked_json(out)
        self.assertEqual(shown["client_secret"], "***")
        self.assertEqual(shown["client_id"], "***Ye42")
        self.assertEqual(shown["tenant"], "quilt-test")
        self.assertEqual(shown["workflow"], "wf")
        self.assertEqual(shown["jwks_url"], "https://apps.benchling.com/api/v1/apps/appdef_wqFfaXBVMu/jwks")
        current = WORLD.sm.get_secret_value(SecretId="bw/show")
        self.assertEqual(line_value(out, "Version"), current["VersionId"])
        self.assertEqual(line_value(out, "ARN"), current["ARN"])
        self.assertRegex(line_value(out, "Last changed"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotIn(CLIENT_SECRET, out + err)

    def test_show_by_arn_takes_the_region_from_it(self):
        arn = WORLD.create_secret("bw/show-arn")
        rc, out, err = secret(["show", "--benchling-secret", arn])
        self.assertEqual(rc, 0, err)
        self.assertEqual(line_value(out, "ARN"), arn)

    def test_show_of_invalid_secret_names_missing_fields(self):
        value = valid_secret()
        del value["user_bucket"]
        WORLD.create_secret("bw/show-broken", value)
        rc, out, err = secret(["show", "--benchling-secret", "bw/show-broken", "--region", REGION])
        self.assertEqual(rc, 1)
        self.assertIn("Missing: user_bucket", err)
        self.assertNotIn(CLIENT_SECRET, out + err)

    def test_update_one_field_keeps_the_others(self):
        WORLD.create_secret("bw/update", valid_secret(log_level="DEBUG", workflow="wf"))
        before = stored("bw/update")
        rc, out, err = secret(["update", "--benchling-secret", "bw/update", "--region", REGION,
                               "--user-bucket", "new-bucket"])
        self.assertEqual(rc, 0, err)
        after = stored("bw/update")
        self.assertEqual(after, dict(before, user_bucket="new-bucket"))
        self.assertEqual(line_value(out, "Changed"), "user_bucket")
        self.assertEqual(line_value(out, "Version"), WORLD.sm.get_secret_value(SecretId="bw/update")["VersionId"])
        self.assertEqual(masked_json(out)["user_bucket"], "new-bucket")
        self.assertIn("secret TTL", out)
        self.assertNotIn(CLIENT_SECRET, out + err)

    def test_update_rotates_client_secret_from_file(self):
        WORLD.create_secret("bw/rotate", valid_secret(client_secret="old-secret-value-0123"))
        rc, out, err = secret(["update", "--benchling-secret", "bw/rotate", "--region", REGION,
                               "--client-secret-file", client_secret_file()])
        self.assertEqual(rc, 0, err)
        self.assertEqual(stored("bw/rotate")["client_secret"], CLIENT_SECRET)
        self.assertNotIn("old-secret-value-0123", out + err)

    def test_update_that_breaks_the_secret_writes_nothing(self):
        WORLD.create_secret("bw/update-bad")
        versions = len(WORLD.sm.list_secret_version_ids(SecretId="bw/update-bad")["Versions"])
        rc, _, err = secret(["update", "--benchling-secret", "bw/update-bad", "--region", REGION,
                             "--enable-webhook-verification", "maybe"])
        self.assertEqual(rc, 1)
        self.assertIn("Invalid value for parameter 'enable_webhook_verification'", err)
        self.assertEqual(len(WORLD.sm.list_secret_version_ids(SecretId="bw/update-bad")["Versions"]), versions)
        self.assertEqual(stored("bw/update-bad"), valid_secret())

    def test_update_of_missing_secret_suggests_create(self):
        rc, _, err = secret(["update", "--benchling-secret", "bw/absent", "--region", REGION,
                             "--user-bucket", "b"])
        self.assertEqual(rc, 1)
        self.assertIn("Secret not found: bw/absent", err)
        self.assertIn("benchling-webhook secret create", err)

    def test_update_dry_run_writes_nothing(self):
        WORLD.create_secret("bw/update-dry")
        rc, out, err = secret(["update", "--benchling-secret", "bw/update-dry", "--region", REGION,
                               "--pkg-prefix", "other", "--dry-run"])
        self.assertEqual(rc, 0, err)
        self.assertIn("Would change: pkg_prefix", out)
        self.assertEqual(stored("bw/update-dry"), valid_secret())


if __name__ == "__main__":
    unittest.main()
