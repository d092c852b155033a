"""The real binary against moto: two settings in, /health, /health/ready, /health/secrets, /config out."""
import json
import os
import subprocess
import time
import unittest

from harness import leaks
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.service import BINARY, Service, base_env, run_cli
from harness.world import (CLIENT_SECRET, CURRENT_OUTPUTS, ICEBERG_DATABASE, USER_WORKGROUP, World,
                           create_work_queue, service_workgroup_name, valid_secret, without)

def setUpModule():
    global MOTO, WORLD, FAKE
    MOTO = MotoServer().start()
    FAKE = FakeBenchling().start()
    WORLD = World(MOTO)


def tearDownModule():
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, minimum=40)


def env_for(stack_arn, secret, **extra):
    return base_env(MOTO.url, QuiltStackARN=stack_arn, BenchlingSecret=secret, **extra)


def cli(args, env):
    return run_cli(args, env)


class ServedConfiguration(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        WORLD.create_bucket("user-bucket")
        cls.stack_arn = WORLD.create_stack("quilt-served")
        WORLD.create_secret("bw/served", valid_secret(client_id="wqFfVOhbYe42", jwks_url=FAKE.jwks_url))
        create_work_queue(MOTO, cls.stack_arn, "bw/served")
        cls.service = Service(env_for(cls.stack_arn, "bw/served")).start()
        cls.service.wait_ready()

    @classmethod
    def tearDownClass(cls):
        cls.service.stop()

    def get(self, path):
        return self.service.get(path)

    def test_health_reports_this_programs_version(self):
        version = subprocess.run([BINARY, "--version"], capture_output=True, text=True).stdout.split()[-1]
        status, body, _ = self.get("/health")
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "healthy")
        self.assertEqual(body["service"], "benchling-webhook")
        self.assertEqual(body["version"], version)
        self.assertEqual(body["config_source"], "secrets-only-mode")
        self.assertEqual(body["config_parameters"], 10)
        self.assertNotIn("mode", body)

    def test_live_and_ready(self):
        self.assertEqual(self.get("/health/live")[:2], (200, {"status": "alive"}))
        status, body, _ = self.get("/health/ready")
        self.assertEqual(status, 200)
        self.assertEqual(body["status"], "ready")

    def test_config_is_resolved_from_stack_and_secret_and_masked(self):
        status, body, _ = self.get("/config")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["config_mode"], "secrets-only")
        self.assertEqual(body["aws"]["region"], "us-east-1")
        self.assertEqual(body["quilt"]["catalog"], "quilt.example.com")  # https:// and trailing / stripped
        self.assertEqual(body["quilt"]["database"], "userathenadatabase_test")
        self.assertEqual(body["quilt"]["bucket"], "user-bucket")
        self.assertEqual(body["quilt"]["queue_arn"], "arn:aws:sqs:us-east-1:***9012:quilt-packager")
        self.assertEqual(body["quilt"]["queue_url"], "https://sqs.us-east-1.amazonaws.com/***9012/quilt-packager")
        self.assertIsNone(body["quilt"]["iceberg_database"])
        self.assertEqual(body["quilt"]["athena_workgroup"], service_workgroup_name(self.stack_arn, "bw/served"))
        self.assertEqual(body["quilt"]["sources"], {
            "catalog": "QuiltWebHost", "database": "UserAthenaDatabaseName", "queue": "PackagerQueueArn",
            "athena_workgroup": "benchling-webhook deploy (derived from the two settings)"})
        self.assertEqual(body["benchling"]["tenant"], "quilt-test")
        self.assertEqual(body["benchling"]["client_id"], "***Ye42")
        self.assertIs(body["benchling"]["has_client_secret"], True)
        self.assertEqual(body["parameters"]["pkg_key"], "experiment_id")  # the reference's 500 bug, fixed
        self.assertEqual(body["parameters"]["pkg_prefix"], "benchling")
        self.assertIs(body["parameters"]["enable_webhook_verification"], True)
        self.assertEqual(body["parameters"]["log_level"], "INFO")
        self.assertEqual(body["secrets_only_params"]["quilt_stack_arn"].split(":")[4], "***9012")
        self.assertEqual(body["secrets_only_params"]["benchling_secret_name"], "bw/served")
        self.assertNotIn(CLIENT_SECRET, json.dumps(body))

    def test_secrets_health_names_the_source_not_the_values(self):
        status, body, _ = self.get("/health/secrets")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["status"], "healthy")
        self.assertEqual(body["mode"], "secrets-only")
        self.assertEqual(body["source"], "secrets_manager_name")
        self.assertIs(body["secrets_valid"], True)
        self.assertIn("last_refreshed", body)

    def test_unknown_path_is_json_404_and_wrong_method_json_405(self):
        status, body, _ = self.get("/nope")
        self.assertEqual((status, body), (404, {"error": "Endpoint not found"}))
        status, body, headers = self.service.request("POST", "/health", body=b"{}",
                                                     headers={"Content-Type": "application/json"})
        self.assertEqual(status, 405)
        self.assertEqual(body["error"], "Method not allowed")
        self.assertIn("GET", headers["Allow"])

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.service.port, timeout=5)
        for _ in range(3):
            conn.request("GET", "/health/live")
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            r.read()
            self.assertNotEqual(r.getheader("Connection"), "close")
        conn.close()

    def test_log_lines_are_json(self):
        lines = [l for l in self.service.output().splitlines() if l.strip()]
        self.assertTrue(lines)
        for line in lines:
            entry = json.loads(line)
            self.assertIn("level", entry)
            self.assertIn("msg", entry)


class SecretByArn(unittest.TestCase):
    def test_full_and_partial_arn_resolve(self):
        stack = WORLD.create_stack("quilt-arn")
        full = WORLD.create_secret("bw/by-arn")
        partial = full.rsplit("-", 1)[0]
        for ref in (full, partial):
            rc, out, err = cli(["config"], env_for(stack, ref))
            self.assertEqual(rc, 0, err)
            self.assertEqual(json.loads(out)["secrets_only_params"]["benchling_secret_name"], ref)


class StartupSettings(unittest.TestCase):
    """Settings that can never work: exit 2 at once, with the message."""

    def test_missing_both_variables_exits_2_naming_both(self):
        for cmd in (["serve"], ["config"], ["validate"]):
            rc, out, err = cli(cmd, base_env(MOTO.url))
            self.assertEqual(rc, 2, cmd)
            self.assertIn("Missing required environment variables: QuiltStackARN and BenchlingSecret", out + err)
            self.assertIn("Secrets-only mode requires exactly 2 environment variables", out + err)

    def test_missing_one_variable_names_it(self):
        rc, out, err = cli(["serve"], base_env(MOTO.url, BenchlingSecret="x"))
        self.assertEqual(rc, 2)
        self.assertIn("Missing required environment variables: QuiltStackARN", out + err)

    def test_malformed_arn_exits_2_with_expected_format(self):
        for cmd in (["serve"], ["config"]):
            rc, out, err = cli(cmd, base_env(MOTO.url, QuiltStackARN="arn:aws:s3:::bucket", BenchlingSecret="x"))
            self.assertEqual(rc, 2)
            self.assertIn("Invalid CloudFormation stack ARN format", out + err)
            self.assertIn("arn:aws:cloudformation:region:account:stack/name/id", out + err)

    def test_malformed_port_exits_2(self):
        rc, out, err = cli(["serve"], env_for(
            "arn:aws:cloudformation:us-east-1:123456789012:stack/q/1", "x", PORT="http"))
        self.assertEqual(rc, 2)
        self.assertIn("Invalid PORT", out + err)

    def test_help_and_version(self):
        rc, out, _ = cli(["--help"], base_env())
        self.assertEqual(rc, 0)
        for word in ("serve", "config", "validate", "QuiltStackARN"):
            self.assertIn(word, out)
        rc, out, _ = cli(["serve", "--help"], base_env())
        self.assertEqual(rc, 0)
        self.assertIn("--fail-fast", out)
        rc, _, _ = cli(["no-such-command"], base_env())
        self.assertEqual(rc, 2)


class ResolutionErrors(unittest.TestCase):
    """Each error of runtime-spec §8.3-8.4, through the real binary and moto."""

    @classmethod
    def setUpClass(cls):
        cls.stack = WORLD.create_stack("quilt-errors")

    def config_error(self, stack, secret):
        rc, out, err = cli(["config"], env_for(stack, secret))
        self.assertEqual(rc, 1, out + err)
        return err

    def secret(self, name, value=None, raw=None):
        WORLD.create_secret(name, value=value, raw=raw)
        return name

    def test_stack_not_found(self):
        missing = "arn:aws:cloudformation:us-east-1:123456789012:stack/absent/0000"
        err = self.config_error(missing, self.secret("e/nostack"))
        self.assertIn("Stack not found: absent", err)

    def test_missing_required_outputs_are_listed_with_available_ones(self):
        stack = WORLD.create_stack("quilt-no-outputs", outputs={"QuiltWebHost": "q.example.com"})
        err = self.config_error(stack, self.secret("e/outputs"))
        self.assertIn("Missing required CloudFormation outputs: UserAthenaDatabaseName, PackagerQueueUrl (or QueueUrl "
                      "or PackagerQueueArn)", err)
        self.assertIn("Ensure your Quilt stack exports these outputs", err)
        self.assertIn("QuiltWebHost", err)

    def test_no_catalog_output(self):
        stack = WORLD.create_stack("quilt-no-catalog", outputs={
            "UserAthenaDatabaseName": "db", "PackagerQueueArn": {"Fn::GetAtt": ["PackagerQueue", "Arn"]}})
        err = self.config_error(stack, self.secret("e/catalog"))
        self.assertIn("Cannot determine catalog URL", err)
        self.assertIn('"QuiltWebHost", "Catalog", "CatalogDomain", or "ApiGatewayEndpoint"', err)

    def test_catalog_falls_back_to_api_gateway_host(self):
        stack = WORLD.create_stack("quilt-apigw", outputs={
            "UserAthenaDatabaseName": "db", "PackagerQueueArn": {"Fn::GetAtt": ["PackagerQueue", "Arn"]},
            "ApiGatewayEndpoint": "https://abc.execute-api.us-east-1.amazonaws.com/prod"})
        rc, out, err = cli(["config"], env_for(stack, self.secret("e/apigw")))
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["quilt"]["catalog"], "abc.execute-api.us-east-1.amazonaws.com")

    def test_secret_not_found(self):
        err = self.config_error(self.stack, "e/absent")
        self.assertIn("Secret not found: e/absent", err)
        self.assertIn("Ensure the secret exists in AWS Secrets Manager and is accessible", err)
        self.assertIn("Region: us-east-1", err)

    def test_binary_secret_has_no_string_data(self):
        WORLD.sm.create_secret(Name="e/binary", SecretBinary=b"\x00\x01")
        err = self.config_error(self.stack, "e/binary")
        self.assertIn("Secret does not contain string data", err)
        self.assertIn("Ensure secret is stored as JSON string, not binary", err)

    def test_invalid_json(self):
        err = self.config_error(self.stack, self.secret("e/json", raw="{not json"))
        self.assertIn("Secret contains invalid JSON", err)
        self.assertIn("Ensure secret value is valid JSON", err)
        self.assertIn("Parse error:", err)

    def test_missing_fields_are_all_listed_with_an_example_secret(self):
        err = self.config_error(self.stack, self.secret("e/missing", valid_secret(**without("tenant", "pkg_key"))))
        self.assertIn("Missing required parameters in secret 'e/missing'", err)
        self.assertIn("Missing: tenant, pkg_key", err)
        self.assertIn("Expected secret format (JSON):", err)
        self.assertIn('"app_definition_id": "appdef_wqFfaXBVMu"', err)
        self.assertIn('"webhook_allow_list": ""', err)

    def test_bad_log_level(self):
        err = self.config_error(self.stack, self.secret("e/level", valid_secret(log_level="info")))
        self.assertIn("Invalid value for parameter 'log_level'", err)
        self.assertIn("Received: 'info'", err)
        self.assertIn("Expected one of: DEBUG, INFO, WARNING, ERROR, CRITICAL", err)

    def test_bad_boolean(self):
        err = self.config_error(self.stack, self.secret("e/bool", valid_secret(enable_webhook_verification="yes")))
        self.assertIn("Invalid value for parameter 'enable_webhook_verification'", err)
        self.assertIn("Expected: true, false, 'true', 'false', '1', or '0'", err)

    def test_empty_string_field(self):
        err = self.config_error(self.stack, self.secret("e/empty", valid_secret(user_bucket="")))
        self.assertIn("Invalid value for parameter 'user_bucket'", err)
        self.assertIn("Expected: non-empty string", err)

    def test_boolean_spellings_and_empty_allow_list_are_accepted(self):
        for i, value in enumerate([True, False, "TRUE", "false", "1", "0"]):
            name = self.secret(f"e/ok{i}", valid_secret(enable_webhook_verification=value, webhook_allow_list=""))
            rc, out, err = cli(["config"], env_for(self.stack, name))
            self.assertEqual(rc, 0, err)
            expected = value in (True, "TRUE", "1")
            self.assertIs(json.loads(out)["parameters"]["enable_webhook_verification"], expected)

    def test_validate_prints_a_checklist(self):
        name = self.secret("e/valid", valid_secret(jwks_url=FAKE.jwks_url))
        create_work_queue(MOTO, self.stack, name)
        rc, out, _ = cli(["validate"], env_for(self.stack, name))
        self.assertEqual(rc, 0, out)
        self.assertIn("[ok]   Quilt stack found", out)
        self.assertIn("[ok]   Benchling secret valid", out)
        self.assertRegex(out, r"\[ok\]   Work queue benchling-webhook-[0-9a-f]{16}\.fifo and canvas queue "
                              r"benchling-webhook-[0-9a-f]{16}-canvas\.fifo")
        self.assertIn("[ok]   Benchling webhook keys (JWKS): 1 key(s)", out)
        rc, out, err = cli(["validate"], env_for(self.stack, "e/absent-too"))
        self.assertEqual(rc, 1)
        self.assertIn("[FAIL] Benchling secret readable", out)
        self.assertIn("Secret not found", err)

    def test_validate_fails_naming_a_pkg_prefix_quilt_cannot_take(self):
        name = self.secret("e/prefix", valid_secret(jwks_url=FAKE.jwks_url, pkg_prefix="lab data"))
        create_work_queue(MOTO, self.stack, name)
        rc, out, err = cli(["validate"], env_for(self.stack, name))
        self.assertEqual(rc, 1, out)
        self.assertIn("[FAIL] Benchling secret valid", out)
        self.assertIn("Invalid value for parameter 'pkg_prefix'", err)
        self.assertIn("ASCII letters, digits 0-9, '_' and '-'", err)
        self.assertIn('e.g. "benchling"', err)
        self.assertIn("Received: 'lab data'", err)
        self.assertIn("Problem: it contains ' ' (a space) at byte 4", err)

    def test_config_and_validate_say_which_output_each_value_came_from(self):
        stack = WORLD.create_stack("quilt-current", outputs=CURRENT_OUTPUTS)
        name = self.secret("e/current", valid_secret(jwks_url=FAKE.jwks_url))
        create_work_queue(MOTO, stack, name)
        rc, out, err = cli(["config"], env_for(stack, name))
        self.assertEqual(rc, 0, err)
        quilt = json.loads(out)["quilt"]
        self.assertEqual(quilt["sources"], {
            "catalog": "QuiltWebHost", "database": "UserAthenaDatabaseName", "queue": "QueueUrl",
            "iceberg_database": "IcebergDatabaseName", "athena_workgroup": "UserAthenaWorkgroupName"})
        self.assertEqual(quilt["iceberg_database"], ICEBERG_DATABASE)
        self.assertEqual(quilt["athena_workgroup"], USER_WORKGROUP)
        self.assertEqual(quilt["queue_arn"], "arn:aws:sqs:us-east-1:***9012:quilt-packager")
        rc, out, _ = cli(["validate"], env_for(stack, name))
        self.assertEqual(rc, 0, out)
        self.assertIn("[ok]   Quilt stack outputs: catalog quilt.example.com (QuiltWebHost), database "
                      "userathenadatabase_test (UserAthenaDatabaseName), packager queue quilt-packager (QueueUrl), "
                      f"Iceberg database {ICEBERG_DATABASE} (IcebergDatabaseName), Athena workgroup "
                      f"{USER_WORKGROUP} (UserAthenaWorkgroupName)", out)

    def test_a_packager_queue_url_that_names_no_queue_is_an_error_naming_the_output(self):
        stack = WORLD.create_stack("quilt-bad-queue-url", outputs={
            "UserAthenaDatabaseName": "db", "PackagerQueueUrl": "https://sqs.us-east-1.amazonaws.com/quilt-packager",
            "QuiltWebHost": "q.example.com"})
        err = self.config_error(stack, self.secret("e/badurl"))
        self.assertIn("Invalid PackagerQueueUrl output", err)
        self.assertIn("must be an SQS queue URL: https://sqs.region.amazonaws.com/account/name", err)

    def test_validate_names_a_missing_work_queue_and_says_to_deploy(self):
        name = self.secret("e/noqueue", valid_secret(jwks_url=FAKE.jwks_url))
        rc, out, err = cli(["validate"], env_for(self.stack, name))
        self.assertEqual(rc, 1)
        self.assertIn("[FAIL] Work queue benchling-webhook-", out)
        self.assertIn("benchling-webhook deploy --image-uri", err)
        self.assertNotIn("create-queue", err)


class Rotation(unittest.TestCase):
    def test_a_secret_updated_in_aws_is_used_within_the_ttl_and_no_request_fails(self):
        stack = WORLD.create_stack("quilt-rotate")
        WORLD.create_secret("bw/rotate", valid_secret(jwks_url=FAKE.jwks_url, pkg_prefix="before"))
        create_work_queue(MOTO, stack, "bw/rotate")
        with Service(env_for(stack, "bw/rotate"), args=["--secret-ttl", "1", "--workers", "0"]) as svc:
            svc.wait_ready()
            _, first, _ = svc.get("/health/secrets")
            WORLD.update_secret("bw/rotate", valid_secret(jwks_url=FAKE.jwks_url, pkg_prefix="after"))
            statuses, deadline = set(), time.monotonic() + 20
            while time.monotonic() < deadline:
                for path in ("/health/ready", "/config"):
                    status, body, _ = svc.get(path)
                    statuses.add(status)
                if body["parameters"]["pkg_prefix"] == "after":
                    break
                time.sleep(0.05)
            self.assertEqual(body["parameters"]["pkg_prefix"], "after")
            self.assertEqual(statuses, {200})  # no request failed during the change
            _, second, _ = svc.get("/health/secrets")
            self.assertNotEqual(second["secret_version_id"], first["secret_version_id"])
            self.assertGreaterEqual(second["last_refreshed"], first["last_refreshed"])


class Healing(unittest.TestCase):
    def test_broken_secret_fixed_in_aws_heals_the_running_server(self):
        stack = WORLD.create_stack("quilt-heal")
        WORLD.create_secret("bw/heal", valid_secret(jwks_url=FAKE.jwks_url, **without("tenant")))
        create_work_queue(MOTO, stack, "bw/heal")
        with Service(env_for(stack, "bw/heal")) as svc:
            deadline = time.monotonic() + 20
            while True:
                status, body, _ = svc.get("/health/ready")
                if body.get("error", {}).get("error") != "starting" or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            self.assertEqual(status, 503)
            self.assertEqual(body["status"], "not ready")
            self.assertIn("Missing: tenant", body["error"]["suggestion"])
            self.assertEqual(svc.get("/health/live")[0], 200)
            status, body, _ = svc.get("/health")
            self.assertEqual((status, body["mode"]), (200, "degraded"))
            self.assertEqual(svc.get("/config")[0], 503)

            WORLD.update_secret("bw/heal", valid_secret(jwks_url=FAKE.jwks_url))
            svc.wait_ready(timeout=60)
            status, body, _ = svc.get("/config")
            self.assertEqual(status, 200)
            self.assertEqual(body["benchling"]["tenant"], "quilt-test")

    def test_fail_fast_exits_1_with_the_error(self):
        stack = WORLD.create_stack("quilt-failfast")
        rc, out, err = cli(["serve", "--fail-fast"], env_for(stack, "bw/never-created", PORT="0"))
        self.assertEqual(rc, 1)
        self.assertIn("Secret not found: bw/never-created", out + err)

    def test_log_lines_go_to_stdout_as_ecs_expects_and_none_is_lost_at_sigterm(self):
        stack = WORLD.create_stack("quilt-stdout")
        WORLD.create_secret("bw/stdout", valid_secret(jwks_url=FAKE.jwks_url))
        create_work_queue(MOTO, stack, "bw/stdout")
        proc = subprocess.Popen([BINARY, "serve"], env=env_for(stack, "bw/stdout", PORT="0"),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # "workers started" comes after the first resolution, on the store's thread, in a batch of its own.
            for line in proc.stdout:
                if '"msg":"workers started"' in line:
                    break
            proc.terminate()
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        leaks.record(out + err)
        self.assertEqual(proc.returncode, 0)
        self.assertEqual(err, "")  # stderr is for the CLI's messages, not the service's log
        lines = out.strip().split("\n")
        self.assertTrue(all(json.loads(line)["level"] for line in lines))
        self.assertEqual(json.loads(lines[-2])["msg"], "stopping")
        self.assertEqual(json.loads(lines[-1])["msg"], "stopped")  # the last batch is written at exit

    def test_sigterm_stops_cleanly(self):
        stack = WORLD.create_stack("quilt-sigterm")
        WORLD.create_secret("bw/sigterm", valid_secret(jwks_url=FAKE.jwks_url))
        create_work_queue(MOTO, stack, "bw/sigterm")
        svc = Service(env_for(stack, "bw/sigterm")).start()
        svc.wait_ready()
        self.assertEqual(svc.stop(), 0)
        self.assertIn('"msg":"stopped"', svc.output())


if __name__ == "__main__":
    unittest.main()
