"""Stopped ECS tasks for a deployed service, in moto (moto_launch.py, fixes 5 and 6): moto runs no tasks, so
a test holds the stack *_IN_PROGRESS as AWS does until the service is steady, and starts and stops tasks of
the service itself, saying with RunTask tags how each stopped."""
import time

HOOK_BUCKET = "moto-test-hooks"  # moto_launch.HOOK_BUCKET
STREAM_PREFIX = "benchling-webhook/benchling-webhook"  # awslogs-stream-prefix / container name


def hold(moto, stack_name):
    """The stack stays *_IN_PROGRESS (its service not steady) until release()."""
    s3 = moto.client("s3")
    try:
        s3.create_bucket(Bucket=HOOK_BUCKET)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    s3.put_object(Bucket=HOOK_BUCKET, Key=f"unsteady/{stack_name}", Body=b"")


def release(moto, stack_name):
    moto.client("s3").delete_object(Bucket=HOOK_BUCKET, Key=f"unsteady/{stack_name}")


def stack_resources(moto, stack_name, timeout=60):
    """{resource type: [physical ids]} once the stack's ECS service exists."""
    cfn = moto.client("cloudformation")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Not before the change set runs: moto's DescribeStackResources of a stack in REVIEW_IN_PROGRESS
        # creates its resources, which ExecuteChangeSet then creates a second time.
        try:
            status = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
            resources = [] if status == "REVIEW_IN_PROGRESS" else \
                cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
        except cfn.exceptions.ClientError:
            resources = []
        by_type = {}
        for r in resources:
            if r.get("PhysicalResourceId"):
                by_type.setdefault(r["ResourceType"], []).append(r["PhysicalResourceId"])
        if by_type.get("AWS::ECS::Service"):
            return by_type
        time.sleep(0.1)
    raise TimeoutError(f"stack {stack_name} has no ECS service")


def fail_task(moto, stack_name, stop_code, reason, exit_code=None, container_reason=None, log_lines=()):
    """Starts one task of the stack's service, writes `log_lines` to its awslogs stream and stops it as
    told. Returns the task id."""
    res = stack_resources(moto, stack_name)
    cluster = res["AWS::ECS::Cluster"][0]
    service = res["AWS::ECS::Service"][0].split("/")[-1]
    ecs = moto.client("ecs")
    tags = [{"key": "moto:stopCode", "value": stop_code}]
    if exit_code is not None:
        tags.append({"key": "moto:exitCode", "value": str(exit_code)})
    if container_reason:
        tags.append({"key": "moto:containerReason", "value": container_reason})
    task = ecs.run_task(cluster=cluster, taskDefinition=res["AWS::ECS::TaskDefinition"][0], launchType="FARGATE",
                        group=f"service:{service}", startedBy="ecs-svc/0123456789", tags=tags,
                        networkConfiguration={"awsvpcConfiguration": {
                            "subnets": res["AWS::EC2::Subnet"][:1],
                            "securityGroups": res["AWS::EC2::SecurityGroup"][:1]}})["tasks"][0]
    task_id = task["taskArn"].split("/")[-1]
    if log_lines:
        logs = moto.client("logs")
        group, stream = res["AWS::Logs::LogGroup"][0], f"{STREAM_PREFIX}/{task_id}"
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName=group, logStreamName=stream,
                            logEvents=[{"timestamp": now - len(log_lines) + i, "message": line}
                                       for i, line in enumerate(log_lines)])
    ecs.stop_task(cluster=cluster, task=task["taskArn"], reason=reason)
    return task_id
