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

# A current (1.70+) Quilt stack as real ones export it: the packager queue only as a URL (QueueUrl; moto's
# Ref gives https://sqs.us-east-1.amazonaws.com/<account>/<name>), the Iceberg package tables' database
# and Quilt's own Athena workgroup.
ICEBERG_DATABASE = "quilt_iceberg_test"
USER_WORKGROUP = "QuiltUserAthena-test-wg"
CURRENT_OUTPUTS = {
    "UserAthenaDatabaseName": "userathenadatabase_test",
    "QueueUrl": {"Ref": "PackagerQueue"},
    "IcebergDatabaseName": ICEBERG_DATABASE,
    "UserAthenaWorkgroupName": USER_WORKGROUP,
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

    def objects(self, prefix, bucket="user-bucket") -> dict:
        """{key: size} of every object under `prefix`."""
        out = {}
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            for o in page.get("Contents", []):
                out[o["Key"]] = o["Size"]
        return out

    def packager_messages(self, package_name, expect=1, timeout=30, queue="quilt-packager") -> list:
        """Raw bodies of the packager messages for `package_name` (others are put back), waiting until
        `expect` arrived or `timeout` passed."""
        import time

        sqs = self.moto.client("sqs")
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        found, deadline = [], time.monotonic() + timeout
        while time.monotonic() < deadline and len(found) < expect:
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                if json.loads(m["Body"]).get("package_name") == package_name:
                    found.append(m["Body"])
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                else:
                    sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
        return found

    def packager_messages_now(self, package_name, queue="quilt-packager") -> list:
        """Raw bodies of the packager messages for `package_name` in the queue at this moment, without waiting:
        for "nothing more was sent" once an event (the job's last log line, the process's exit) says that
        whatever the service would send has been sent. Others are held while the queue is read to its end,
        then put back."""
        sqs = self.moto.client("sqs")
        url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
        found, held = [], []
        while True:
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                      VisibilityTimeout=60).get("Messages", [])
            if not got:
                break
            for m in got:
                if json.loads(m["Body"]).get("package_name") == package_name:
                    found.append(m["Body"])
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                else:
                    held.append(m["ReceiptHandle"])
        for receipt in held:
            sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=receipt, VisibilityTimeout=0)
        return found

    def default(self, fake_benchling, secret_name="benchling/creds", stack_name="quilt-test"):
        """The happy-path world: bucket, secret (keys from the fake Benchling), stack, work queue.
        Returns (stack_arn, secret_name)."""
        self.create_bucket()
        self.create_secret(secret_name, valid_secret(jwks_url=fake_benchling.jwks_url, api_url=fake_benchling.url))
        stack_arn = self.create_stack(stack_name)
        create_work_queue(self.moto, stack_arn, secret_name)
        create_athena_workgroup(self.moto, service_workgroup_name(stack_arn, secret_name))
        return stack_arn, secret_name


def settings_hash(stack_arn: str, secret: str) -> str:
    """DESIGN.md: first 16 hex digits of SHA-256 of the two settings joined by '|'."""
    import hashlib

    return hashlib.sha256(f"{stack_arn}|{secret}".encode()).hexdigest()[:16]


def work_queue_name(stack_arn: str, secret: str) -> str:
    return f"benchling-webhook-{settings_hash(stack_arn, secret)}.fifo"


def canvas_queue_name(stack_arn: str, secret: str) -> str:
    return f"benchling-webhook-{settings_hash(stack_arn, secret)}-canvas.fifo"


def canvas_queue_url(work_queue_url: str) -> str:
    """The canvas queue beside the work queue at `work_queue_url`."""
    return work_queue_url[:-len(".fifo")] + "-canvas.fifo"


def create_work_queue(moto, stack_arn: str, secret: str) -> str:
    """The service's FIFO work queue, the canvas queue beside it and their dead-letter queue, as the deploy
    step creates them. Returns the work queue's URL (canvas_queue_url gives the other)."""
    sqs = moto.client("sqs")
    h = settings_hash(stack_arn, secret)
    dlq = sqs.create_queue(QueueName=f"benchling-webhook-{h}-dlq.fifo", Attributes={"FifoQueue": "true"})
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq["QueueUrl"], AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"})
    q = sqs.create_queue(QueueName=work_queue_name(stack_arn, secret), Attributes={
        "FifoQueue": "true", "VisibilityTimeout": "300", "RedrivePolicy": redrive})
    sqs.create_queue(QueueName=canvas_queue_name(stack_arn, secret), Attributes={
        "FifoQueue": "true", "VisibilityTimeout": "60", "RedrivePolicy": redrive})
    return q["QueueUrl"]


def service_workgroup_name(stack_arn: str, secret: str) -> str:
    """The Athena workgroup the deploy creates when the stack exports no UserAthenaWorkgroupName."""
    return f"benchling-webhook-{settings_hash(stack_arn, secret)}"


def create_athena_workgroup(moto, name: str) -> str:
    """An Athena workgroup (moto refuses queries in one that does not exist); idempotent."""
    athena = moto.client("athena")
    try:
        athena.create_work_group(Name=name, Configuration={"ManagedQueryResultsConfiguration": {"Enabled": True}})
    except athena.exceptions.InvalidRequestException:
        pass  # already there
    return name


def athena_queries(moto, workgroup: str) -> list:
    """Every query moto recorded in `workgroup`: GetQueryExecution's QueryExecution (Query, WorkGroup,
    QueryExecutionContext, ExecutionParameters)."""
    athena = moto.client("athena")
    ids = athena.list_query_executions(WorkGroup=workgroup).get("QueryExecutionIds", [])
    return [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"] for i in ids]


def create_events_queue(moto, stack_arn: str, secret: str) -> str:
    """The package-events queue an EventBridge rule feeds (DESIGN: benchling-webhook-<h>-events)."""
    name = f"benchling-webhook-{settings_hash(stack_arn, secret)}-events"
    return moto.client("sqs").create_queue(QueueName=name)["QueueUrl"]
