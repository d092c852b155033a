"""SigV4 against moto_server with signature checking on: our signatures are accepted for CloudFormation
and Secrets Manager, and a wrong key is rejected and reported as a credentials problem."""
import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import leaks
from harness.fake_benchling import FakeBenchling
from harness.moto import MotoServer
from harness.service import Service, base_env, run_cli
from harness.world import CLIENT_SECRET, World

ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
CFN_ONLY = json.dumps({"Version": "2012-10-17",
                       "Statement": [{"Effect": "Allow", "Action": "cloudformation:*", "Resource": "*"}]})


def setUpModule():
    global MOTO, STACK, ADMIN, LIMITED, FAKE
    MOTO = MotoServer(auth=True, free_actions=1000).start()
    FAKE = FakeBenchling().start()
    iam = MOTO.client("iam")
    ADMIN = _user(iam, "admin", ALLOW_ALL)
    LIMITED = _user(iam, "cfn-only", CFN_ONLY)
    world = World(MOTO)
    STACK, _ = world.default(FAKE)
    MOTO.set_auth(0)  # from now on every request must carry a valid signature


def tearDownModule():
    FAKE.stop()
    MOTO.stop()
    leaks.assert_never_seen(CLIENT_SECRET, ADMIN[1], LIMITED[1], minimum=6)


def _user(iam, name, policy):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=policy)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def env_with(key, secret, token=None, **extra):
    env = base_env(MOTO.url, QuiltStackARN=STACK, BenchlingSecret="benchling/creds", **extra)
    env.pop("AWS_ACCESS_KEY_ID")
    env.pop("AWS_SECRET_ACCESS_KEY")
    if key:
        env.update(AWS_ACCESS_KEY_ID=key, AWS_SECRET_ACCESS_KEY=secret)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    return env


class SignedRequests(unittest.TestCase):
    def test_valid_signature_is_accepted_for_cloudformation_and_secrets_manager(self):
        rc, out, err = run_cli(["config"], env_with(*ADMIN))
        self.assertEqual(rc, 0, err)
        body = json.loads(out)
        self.assertEqual(body["quilt"]["database"], "userathenadatabase_test")  # CloudFormation answered
        self.assertEqual(body["benchling"]["tenant"], "quilt-test")  # Secrets Manager answered
        self.assertNotIn(CLIENT_SECRET, out + err)

    def test_wrong_secret_key_is_a_clear_credentials_error(self):
        rc, out, err = run_cli(["config"], env_with(ADMIN[0], "wrong" + ADMIN[1][5:]))
        self.assertEqual(rc, 1)
        self.assertIn("SignatureDoesNotMatch", err)
        self.assertIn("credentials", err.lower())
        self.assertNotIn(ADMIN[1][5:], err)  # the secret key is never echoed

    def test_unknown_access_key_is_a_clear_credentials_error(self):
        rc, out, err = run_cli(["config"], env_with("AKIAUNKNOWNKEY000000", "x" * 40))
        self.assertEqual(rc, 1)
        self.assertIn("InvalidClientTokenId", err)
        self.assertIn("credentials", err.lower())

    def test_denied_secret_read_names_the_missing_permission(self):
        rc, out, err = run_cli(["config"], env_with(*LIMITED))
        self.assertEqual(rc, 1, out)
        self.assertIn("Access denied to secret: benchling/creds", err)
        self.assertIn("secretsmanager:GetSecretValue", err)

    def test_no_credentials_anywhere_says_how_to_provide_them(self):
        rc, out, err = run_cli(["config"], env_with(None, None, AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
                                                    AWS_CONFIG_FILE="/nonexistent"))
        self.assertEqual(rc, 1)
        self.assertIn("AWS_ACCESS_KEY_ID", err)

    def test_served_with_ecs_container_credentials(self):
        """The real binary takes its credentials from an ECS-style endpoint (with its auth token)."""
        seen = []

        class Creds(BaseHTTPRequestHandler):
            def do_GET(self):
                seen.append((self.path, self.headers.get("Authorization")))
                body = json.dumps({"AccessKeyId": ADMIN[0], "SecretAccessKey": ADMIN[1], "Token": "",
                                   "Expiration": "2099-01-01T00:00:00Z"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Creds)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            env = env_with(None, None, AWS_CONTAINER_CREDENTIALS_FULL_URI=
                           f"http://127.0.0.1:{server.server_port}/v2/credentials/abc",
                           AWS_CONTAINER_AUTHORIZATION_TOKEN="task-token-1")
            with Service(env) as svc:
                svc.wait_ready()
                self.assertEqual(svc.get("/config")[0], 200)
        finally:
            server.shutdown()
        self.assertIn(("/v2/credentials/abc", "task-token-1"), seen)


if __name__ == "__main__":
    unittest.main()
