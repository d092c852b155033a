"""A customer's AWS account as the service finds it: a Quilt stack with outputs, a Benchling secret, a bucket."""
import json

from .moto import REGION

# Test-only value; the tests assert it never appears in any response or log line.
CLIENT_SECRET = "cs-7f3a9b2e4d1c8f6a0b5e"


def valid_secret(**overrides) -> dict:
    secret = {
        "tenant": "quilt-test",
        "client_id": "wqFfVOhbYe42",
        "client_secret": CLIENT_SECRET,
        "app_definition_id": "appdef_wqFfaXBVMu",
        "pkg_prefix": "benchling",
        "pkg_key": "experiment_id",
        "user_bucket": "user-bucket",
        "log_level": "INFO",
        "enable_webhook_verification": "true",
        "webhook_allow_list": "",
    }
    secret.update(overrides)
    return {k: v for k, v in secret.items() if v is not _DROP}


_DROP = object()


def without(*keys) -> dict:
    return {k: _DROP for k in keys}


def quilt_template(outputs: dict) -> str:
    """A Quilt-like stack: the packager queue and the user bucket, plus the given outputs."""
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "PackagerQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "quilt-packager"}},
        },
        "Outputs": {},
    }
    for key, value in outputs.items():
        template["Outputs"][key] = {"Value": value}
    return json.dumps(template)


DEFAULT_OUTPUTS = {
    "UserAthenaDatabaseName": "userathenadatabase_test",
    "PackagerQueueArn": {"Fn::GetAtt": ["PackagerQueue", "Arn"]},
    "QuiltWebHost": "https://quilt.example.com/",
}


class World:
    def __init__(self, moto):
        self.moto = moto
        self.cfn = moto.client("cloudformation")
        self.sm = moto.client("secretsmanager")
        self.s3 = moto.client("s3")

    def create_stack(self, name="quilt-test", outputs=None) -> str:
        body = quilt_template(DEFAULT_OUTPUTS if outputs is None else outputs)
        return self.cfn.create_stack(StackName=name, TemplateBody=body)["StackId"]

    def create_secret(self, name="benchling/creds", value=None, raw=None) -> str:
        text = raw if raw is not None else json.dumps(valid_secret() if value is None else value)
        return self.sm.create_secret(Name=name, SecretString=text)["ARN"]

    def update_secret(self, name, value=None, raw=None):
        text = raw if raw is not None else json.dumps(value)
        self.sm.put_secret_value(SecretId=name, SecretString=text)

    def create_bucket(self, name="user-bucket"):
        self.s3.create_bucket(Bucket=name)

    def default(self):
        """The happy-path world: stack, secret, bucket. Returns (stack_arn, secret_name)."""
        self.create_bucket()
        self.create_secret()
        return self.create_stack(), "benchling/creds"
