"""The operator CLI against moto: template (cfn-lint clean), deploy, status, logs, destroy, manifest."""
import json
import os
import subprocess
import tempfile
import time
import unittest

import yaml

from harness.module_world import ModuleWorld
from harness.moto import ACCOUNT, REGION
from harness.service import Service, base_env, run_cli
from harness.world import (CURRENT_OUTPUTS, ICEBERG_DATABASE, USER_WORKGROUP, service_workgroup_name,
                           settings_hash, valid_secret, without)

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/benchling-webhook:1.0.0"


def setUpModule():
    global BASE, MOTO, WORLD, FAKE
    # deploy checks that an ECR image exists and is built for linux/amd64 (test_deploy_checks.py).
    BASE = ModuleWorld(images=("1.0.0", "1.0.1"))
    MOTO, WORLD, FAKE = BASE.moto, BASE.world, BASE.fake


def tearDownModule():
    BASE.stop(minimum=10)


def env_for(stack_arn, secret):
    return BASE.env_for(stack_arn, secret)


def template_for(stack_arn, secret, *flags):
    rc, out, err = run_cli(["template", "--image-uri", IMAGE, *flags], env_for(stack_arn, secret))
    if rc != 0:
        raise AssertionError(f"template failed ({rc}): {err}")
    return json.loads(out)


def resources_of_type(template, type_name):
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_name}


def task_role_statements(template):
    roles = resources_of_type(template, "AWS::IAM::Role")
    task_def = next(iter(resources_of_type(template, "AWS::ECS::TaskDefinition").values()))
    task_role = task_def["Properties"]["TaskRoleArn"]["Fn::GetAtt"][0]
    statements = []
    for policy in roles[task_role]["Properties"].get("Policies", []):
        statements += policy["PolicyDocument"]["Statement"]
    for name, res in resources_of_type(template, "AWS::IAM::Policy").items():
        if {"Ref": task_role} in res["Properties"].get("Roles", []):
            statements += res["Properties"]["PolicyDocument"]["Statement"]
    return statements


def as_list(value):
    return value if isinstance(value, list) else [value]


def existing_vpc(egress, zones=("a", "b"), secondary="100.64.0.0/20"):
    """A lab's VPC in moto: a primary and a secondary IPv4 block, one subnet per zone, and `egress` per
    subnet: "nat" (a route table sending 0.0.0.0/0 to a NAT gateway), "igw" (to the internet gateway) or
    None (no default route). Returns (vpc id, [subnet ids])."""
    ec2 = MOTO.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16")["Vpc"]["VpcId"]
    if secondary:
        ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock=secondary)
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.30.250.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]
    nat = ec2.create_nat_gateway(SubnetId=public["SubnetId"],
                                 AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"])
    nat_id = nat["NatGateway"]["NatGatewayId"]
    subnets = []
    for i, (zone, how) in enumerate(zip(zones, egress)):
        block = f"100.64.{i}.0/24" if secondary and i == 1 else f"10.30.{i}.0/24"
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=block, AvailabilityZone=f"{REGION}{zone}")["Subnet"]["SubnetId"]
        table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
        if how == "nat":
            ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat_id)
        elif how == "igw":
            ec2.create_route(RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        subnets.append(subnet)
    return vpc, subnets


class Template(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-tmpl")
        WORLD.create_secret("bw/tmpl", valid_secret(jwks_url=FAKE.jwks_url))
        WORLD.create_secret("bw/allow", valid_secret(webhook_allow_list="192.0.2.0/24, 198.51.100.7"))
        cls.template = template_for(cls.stack_arn, "bw/tmpl")
        # A current Quilt stack: QueueUrl only, IcebergDatabaseName, UserAthenaWorkgroupName.
        cls.current_stack_arn = WORLD.create_stack("quilt-tmpl-current", outputs=CURRENT_OUTPUTS)

    def test_cfn_lint_reports_no_errors_or_warnings_for_several_option_sets(self):
        vpc, subnets = existing_vpc(["nat", "nat"])
        option_sets = {
            "defaults": ("bw/tmpl", []),
            "bigger-tasks": ("bw/tmpl", ["--cpu", "1024", "--memory", "2048", "--max-tasks", "4"]),
            "backlog-scaling": ("bw/tmpl", ["--workers-per-task", "8", "--canvas-workers-per-task", "3",
                                            "--backlog-per-task", "16"]),
            "existing-vpc": ("bw/tmpl", ["--vpc-id", vpc, "--subnet-ids", ",".join(subnets)]),
            "allow-list": ("bw/allow", ["--log-retention-days", "90"]),
            "public-image": ("bw/tmpl", ["--image-uri", "public.ecr.aws/quilt/benchling-webhook:1"]),
            "current-quilt-stack": ("bw/tmpl", [], self.current_stack_arn),
            "alarm-email-throttling": ("bw/tmpl", ["--alarm-email", "ops@example.com", "--api-burst-limit", "50",
                                                   "--api-rate-limit", "20", "--oldest-job-alarm-minutes", "30"]),
            "alarm-topic": ("bw/tmpl", ["--alarm-topic-arn", f"arn:aws:sns:{REGION}:{ACCOUNT}:ops"]),
        }
        def with_image(flags):
            return flags if "--image-uri" in flags else ["--image-uri", IMAGE, *flags]
        with tempfile.TemporaryDirectory() as tmp:
            for name, (secret, flags, *stack) in option_sets.items():
                args = ["template", *with_image(flags)]
                rc, out, err = run_cli(args, env_for(stack[0] if stack else self.stack_arn, secret))
                self.assertEqual(rc, 0, f"{name}: {err}")
                path = os.path.join(tmp, f"{name}.json")
                with open(path, "w") as f:
                    f.write(out)
                lint = subprocess.run(["cfn-lint", "--format", "parseable", path], capture_output=True, text=True)
                errors = [line for line in lint.stdout.splitlines() if ":E" in line]
                self.assertEqual(errors, [], f"{name}: cfn-lint errors")
                # 0: no errors and no warnings (2 would be errors, 4 warnings).
                self.assertEqual(lint.returncode, 0, f"{name}: {lint.stdout}{lint.stderr}")

    def test_task_environment_is_exactly_the_three_settings(self):
        task_def = next(iter(resources_of_type(self.template, "AWS::ECS::TaskDefinition").values()))
        containers = task_def["Properties"]["ContainerDefinitions"]
        self.assertEqual(len(containers), 1)
        env = {e["Name"]: e["Value"] for e in containers[0]["Environment"]}
        self.assertEqual(env, {"QuiltStackARN": self.stack_arn, "BenchlingSecret": "bw/tmpl", "PORT": "8080"})
        self.assertNotIn("Secrets", containers[0])
        self.assertTrue(containers[0]["ReadonlyRootFilesystem"])
        self.assertEqual(containers[0]["User"], "1000:1000")
        self.assertIn("/health/live", json.dumps(containers[0]["HealthCheck"]))
        self.assertEqual(task_def["Properties"]["Cpu"], "256")
        self.assertEqual(task_def["Properties"]["Memory"], "512")

    def test_task_role_statements_are_scoped(self):
        statements = task_role_statements(self.template)
        self.assertTrue(statements)
        by_action = {}
        for s in statements:
            self.assertNotEqual(s.get("Resource"), "*", s)
            self.assertNotIn("*", as_list(s.get("Resource")), s)
            for action in as_list(s["Action"]):
                self.assertNotIn("*", action.split(":")[1], s)  # no wildcard actions either
                by_action.setdefault(action, []).extend(as_list(s["Resource"]))
        self.assertEqual(by_action["cloudformation:DescribeStacks"], [self.stack_arn])
        self.assertEqual(by_action["secretsmanager:GetSecretValue"],
                         [f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:bw/tmpl-??????"])
        self.assertEqual(by_action["s3:PutObject"], ["arn:aws:s3:::user-bucket/*"])
        self.assertEqual(by_action["s3:ListBucket"], ["arn:aws:s3:::user-bucket"])
        self.assertIn(f"arn:aws:sqs:{REGION}:{ACCOUNT}:quilt-packager", by_action["sqs:SendMessage"])
        self.assertNotIn("s3:DeleteObject", by_action)

    def test_athena_runs_in_a_managed_results_workgroup_never_primary(self):
        workgroups = resources_of_type(self.template, "AWS::Athena::WorkGroup")
        self.assertEqual(len(workgroups), 1)
        props = next(iter(workgroups.values()))["Properties"]
        ours = service_workgroup_name(self.stack_arn, "bw/tmpl")
        self.assertEqual(props["Name"], ours)
        self.assertEqual(props["WorkGroupConfiguration"]["ManagedQueryResultsConfiguration"], {"Enabled": True})
        by_action = {}
        for st in task_role_statements(self.template):
            for action in as_list(st["Action"]):
                by_action.setdefault(action, []).extend(as_list(st["Resource"]))
        self.assertEqual(by_action["athena:StartQueryExecution"],
                         [f"arn:aws:athena:{REGION}:{ACCOUNT}:workgroup/{ours}"])

    def test_a_current_quilt_stack_grants_its_workgroup_iceberg_database_and_derived_queue_arn(self):
        template = template_for(self.current_stack_arn, "bw/tmpl")
        by_action = {}
        for st in task_role_statements(template):
            for action in as_list(st["Action"]):
                by_action.setdefault(action, []).extend(as_list(st["Resource"]))
        athena = f"arn:aws:athena:{REGION}:{ACCOUNT}:workgroup/"
        self.assertEqual(by_action["athena:StartQueryExecution"],
                         [athena + service_workgroup_name(self.current_stack_arn, "bw/tmpl"), athena + USER_WORKGROUP])
        glue = f"arn:aws:glue:{REGION}:{ACCOUNT}:"
        self.assertIn(glue + f"database/{ICEBERG_DATABASE}", by_action["glue:GetTable"])
        self.assertIn(glue + f"table/{ICEBERG_DATABASE}/*", by_action["glue:GetTable"])
        # The stack exports only QueueUrl: the ARN IAM needs is derived from it.
        self.assertEqual(by_action["sqs:SendMessage"][0], f"arn:aws:sqs:{REGION}:{ACCOUNT}:quilt-packager")

    def test_allow_list_from_the_secret_becomes_the_api_resource_policy(self):
        allowed = template_for(self.stack_arn, "bw/allow")
        api = next(iter(resources_of_type(allowed, "AWS::ApiGateway::RestApi").values()))
        text = json.dumps(api["Properties"]["Policy"])
        self.assertIn("192.0.2.0/24", text)
        self.assertIn("198.51.100.7", text)
        open_api = next(iter(resources_of_type(self.template, "AWS::ApiGateway::RestApi").values()))
        self.assertNotIn("IpAddress", json.dumps(open_api["Properties"]["Policy"]))

    def test_queues_have_the_derived_names_and_the_endpoint_no_trailing_slash(self):
        h = settings_hash(self.stack_arn, "bw/tmpl")
        names = {q["Properties"].get("QueueName") for q in resources_of_type(self.template, "AWS::SQS::Queue").values()}
        self.assertTrue({f"benchling-webhook-{h}.fifo", f"benchling-webhook-{h}-dlq.fifo",
                         f"benchling-webhook-{h}-canvas.fifo", f"benchling-webhook-{h}-events"} <= names, names)
        endpoint = json.dumps(self.template["Outputs"]["WebhookEndpoint"]["Value"])
        self.assertIn("/prod", endpoint)
        self.assertNotIn("/prod/", endpoint)

    def test_bad_options_are_usage_errors_naming_the_flag(self):
        rc, _, err = run_cli(["template", "--image-uri", IMAGE, "--cpu", "256", "--memory", "4096"],
                             env_for(self.stack_arn, "bw/tmpl"))
        self.assertEqual(rc, 2)
        self.assertIn("--memory", err)


class Deploy(unittest.TestCase):
    """One stack through its life; the steps run in order (unittest sorts by name)."""

    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-deploy")
        cls.secret = "bw/deploy"
        WORLD.create_secret(cls.secret, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
        cls.env = env_for(cls.stack_arn, cls.secret)
        cls.cfn = MOTO.client("cloudformation")

    def deploy(self, image=IMAGE):
        return run_cli(["deploy", "--image-uri", image, "--stack-name", "bw-life", "--yes",
                        "--poll-interval", "0.1"], self.env, timeout=120)

    def stack(self):
        return self.cfn.describe_stacks(StackName="bw-life")["Stacks"][0]

    def test_1_deploy_creates_the_stack(self):
        rc, out, err = self.deploy()
        self.assertEqual(rc, 0, out + err)
        self.assertIn("[ok]   Benchling secret valid", out)
        self.assertIn("Add", out)  # the change set was shown
        self.assertIn("CREATE_COMPLETE", out)  # stack events were followed
        self.assertEqual(self.stack()["StackStatus"], "CREATE_COMPLETE")
        self.assertIn("Suffixed", out)
        endpoint = {o["OutputKey"]: o["OutputValue"] for o in self.stack()["Outputs"]}["WebhookEndpoint"]
        self.assertIn(f"Webhook URL: {endpoint}", out)
        self.assertFalse(endpoint.endswith("/"))
        sqs = MOTO.client("sqs")
        h = settings_hash(self.stack_arn, self.secret)
        sqs.get_queue_url(QueueName=f"benchling-webhook-{h}.fifo")  # raises when missing

    def test_2_same_input_reports_no_changes(self):
        rc, out, err = self.deploy()
        self.assertEqual(rc, 0, out + err)
        self.assertIn("No changes", out)
        self.assertEqual(self.stack()["StackStatus"], "CREATE_COMPLETE")

    def test_3_a_new_image_updates_the_stack(self):
        rc, out, err = self.deploy(IMAGE.replace("1.0.0", "1.0.1"))
        self.assertEqual(rc, 0, out + err)
        self.assertIn("Modify", out)
        self.assertIn("TaskDefinition", out)
        self.assertEqual(self.stack()["StackStatus"], "UPDATE_COMPLETE")
        body = self.cfn.get_template(StackName="bw-life")["TemplateBody"]
        self.assertIn("benchling-webhook:1.0.1", json.dumps(body))

    def test_4_status_shows_stack_service_queues_and_endpoint(self):
        with Service(self.env) as service:
            service.wait_ready()
            rc, out, err = run_cli(["status", "--stack-name", "bw-life", "--quilt-stack-arn", self.stack_arn,
                                    "--webhook-url", f"http://127.0.0.1:{service.port}"], self.env)
        self.assertIn("UPDATE_COMPLETE", out, err)
        self.assertIn("tasks running", out)
        self.assertIn("0 waiting, 0 running; 0 in the dead-letter queue", out)
        self.assertIn("/health/ready -> HTTP 200 ready", out)
        # moto starts no tasks, so the service is short of its desired count: not healthy, exit 1.
        self.assertIn("fewer tasks running than desired", out)
        self.assertEqual(rc, 1)

    def test_4a_a_backfill_backlog_shows_in_status_and_drains(self):
        # What a lab sees after `backfill`: the deployed work queue holds the jobs, `status` counts them, and
        # once workers took them the count falls.
        for i in range(3):
            FAKE.add_entry(f"etr_deployed{i}", display_id=f"EXP9{i:03d}", project_id="src_deployed",
                           modified_at=f"2025-02-0{i + 1}T00:00:00+00:00")
        rc, out, err = run_cli(["backfill", "--project", "src_deployed"], self.env)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("queued 3 jobs", out)
        status = ["status", "--stack-name", "bw-life", "--quilt-stack-arn", self.stack_arn]
        rc, out, err = run_cli(status, self.env)
        self.assertIn("3 waiting, 0 running; 0 in the dead-letter queue", out, err)
        sqs = MOTO.client("sqs")
        url = sqs.get_queue_url(QueueName=f"benchling-webhook-{settings_hash(self.stack_arn, self.secret)}.fifo")
        taken = sqs.receive_message(QueueUrl=url["QueueUrl"], MaxNumberOfMessages=1, VisibilityTimeout=600)
        self.assertEqual(len(taken["Messages"]), 1)  # a worker took one
        rc, out, err = run_cli(status, self.env)
        self.assertIn("2 waiting, 1 running; 0 in the dead-letter queue", out, err)
        for m in taken["Messages"]:
            sqs.delete_message(QueueUrl=url["QueueUrl"], ReceiptHandle=m["ReceiptHandle"])
        rc, out, err = run_cli(status, self.env)
        self.assertIn("2 waiting, 0 running; 0 in the dead-letter queue", out, err)
        sqs.purge_queue(QueueUrl=url["QueueUrl"])  # the next steps count their own jobs

    def test_5_logs_prints_the_service_log_lines(self):
        outputs = {o["OutputKey"]: o["OutputValue"] for o in self.stack()["Outputs"]}
        logs = MOTO.client("logs")
        group = outputs["LogGroupName"]
        logs.create_log_stream(logGroupName=group, logStreamName="benchling-webhook/benchling-webhook/abcdef123456")
        now = int(time.time() * 1000)
        logs.put_log_events(logGroupName=group, logStreamName="benchling-webhook/benchling-webhook/abcdef123456",
                            logEvents=[{"timestamp": now - 1000, "message": '{"msg":"listening"}'},
                                       {"timestamp": now, "message": '{"msg":"job done"}'}])
        rc, out, err = run_cli(["logs", "--stack-name", "bw-life", "--region", REGION, "--since", "5m"], self.env)
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 2, out)
        self.assertIn("abcdef12", lines[0])
        self.assertTrue(lines[0].endswith('{"msg":"listening"}'))
        self.assertTrue(lines[1].endswith('{"msg":"job done"}'))

        # Following polls again from the newest line seen: nothing is printed twice across polls.
        rc, out, err = run_cli(["logs", "--stack-name", "bw-life", "--region", REGION, "--since", "5m", "--follow",
                                "--follow-for", "1", "--poll-interval", "0.2"], self.env)
        self.assertEqual(rc, 0, err)
        self.assertEqual(out.splitlines(), lines)

    def test_6_destroy_keeps_queued_jobs_unless_forced_then_removes_the_stack(self):
        sqs = MOTO.client("sqs")
        h = settings_hash(self.stack_arn, self.secret)
        url = sqs.get_queue_url(QueueName=f"benchling-webhook-{h}.fifo")["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="{}", MessageGroupId="g", MessageDeduplicationId="d")
        rc, out, err = run_cli(["destroy", "--stack-name", "bw-life", "--region", REGION, "--yes"], self.env)
        self.assertEqual(rc, 1)
        self.assertIn(f"1 in benchling-webhook-{h}.fifo", err)
        self.assertEqual(self.stack()["StackStatus"], "UPDATE_COMPLETE")

        sqs.purge_queue(QueueUrl=url)
        rc, out, err = run_cli(["destroy", "--stack-name", "bw-life", "--region", REGION, "--yes",
                                "--poll-interval", "0.1"], self.env, timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("deleted", out)
        live = [s for s in self.cfn.list_stacks()["StackSummaries"]
                if s["StackName"] == "bw-life" and s["StackStatus"] != "DELETE_COMPLETE"]
        self.assertEqual(live, [])


class DeployRefusals(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-refuse")
        cls.cfn = MOTO.client("cloudformation")

    def stack_names(self):
        return {s["StackName"] for s in self.cfn.list_stacks()["StackSummaries"]
                if s["StackStatus"] != "DELETE_COMPLETE"}

    def test_a_broken_secret_stops_deploy_before_any_stack_call(self):
        WORLD.create_secret("bw/broken", valid_secret(**without("user_bucket", "app_definition_id")))
        rc, out, err = run_cli(["deploy", "--image-uri", IMAGE, "--stack-name", "bw-broken", "--yes"],
                               env_for(self.stack_arn, "bw/broken"))
        self.assertEqual(rc, 1)
        self.assertIn("Missing: app_definition_id, user_bucket", err)
        self.assertIn("Not deploying", out)
        self.assertNotIn("bw-broken", self.stack_names())

    def test_without_yes_and_without_a_terminal_nothing_is_left_behind(self):
        WORLD.create_secret("bw/noyes", valid_secret())
        rc, out, err = run_cli(["deploy", "--image-uri", IMAGE, "--stack-name", "bw-noyes",
                                "--poll-interval", "0.1"], env_for(self.stack_arn, "bw/noyes"))
        self.assertEqual(rc, 1)
        self.assertIn("--yes", err)
        self.assertNotIn("bw-noyes", self.stack_names())

    def test_missing_image_is_a_usage_error(self):
        rc, _, err = run_cli(["deploy", "--stack-name", "x"], env_for(self.stack_arn, "bw/noyes"))
        self.assertEqual(rc, 2)
        self.assertIn("--image-uri", err)


class ExistingVpc(unittest.TestCase):
    """Deploying into a lab's own VPC: what EC2 says about it is checked before any stack call."""

    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-vpc")
        WORLD.create_secret("bw/vpc", valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
        cls.env = env_for(cls.stack_arn, "bw/vpc")
        cls.cfn = MOTO.client("cloudformation")

    def stack_names(self):
        return {s["StackName"] for s in self.cfn.list_stacks()["StackSummaries"]
                if s["StackStatus"] != "DELETE_COMPLETE"}

    def deploy(self, stack, *flags):
        return run_cli(["deploy", "--image-uri", IMAGE, "--stack-name", stack, "--yes", "--poll-interval", "0.1",
                        *flags], self.env, timeout=120)

    def test_a_deploy_into_nat_routed_subnets_admits_every_vpc_block_and_completes(self):
        vpc, subnets = existing_vpc(["nat", "nat"])
        rc, out, err = self.deploy("bw-vpc-ok", "--vpc-id", vpc, "--subnet-ids", ",".join(subnets))
        self.assertEqual(rc, 0, err)
        self.assertIn(f"[ok]   VPC {vpc}: 10.30.0.0/16, 100.64.0.0/20", out + err)
        self.assertIn(f"{subnets[1]} ({REGION}b): egress through NAT gateway nat-", out + err)
        stack = self.cfn.describe_stacks(StackName="bw-vpc-ok")["Stacks"][0]
        self.assertEqual(stack["StackStatus"], "CREATE_COMPLETE")
        body = self.cfn.get_template(StackName="bw-vpc-ok")["TemplateBody"]
        template = body if isinstance(body, dict) else json.loads(body)
        group = next(iter(resources_of_type(template, "AWS::EC2::SecurityGroup").values()))["Properties"]
        self.assertEqual(group["VpcId"], vpc)
        self.assertEqual([r["CidrIp"] for r in group["SecurityGroupIngress"]], ["10.30.0.0/16", "100.64.0.0/20"])
        self.assertEqual(resources_of_type(template, "AWS::EC2::VPC"), {})
        service = next(iter(resources_of_type(template, "AWS::ECS::Service").values()))["Properties"]
        self.assertEqual(service["NetworkConfiguration"]["AwsvpcConfiguration"]["Subnets"], subnets)

    def test_a_subnet_without_egress_stops_the_deploy_naming_it(self):
        vpc, subnets = existing_vpc(["nat", None])
        rc, out, err = self.deploy("bw-vpc-noegress", "--vpc-id", vpc, "--subnet-ids", ",".join(subnets))
        self.assertEqual(rc, 1)
        self.assertIn(f"[FAIL] {subnets[1]}: no route to the internet (0.0.0.0/0)", out + err)
        self.assertIn("NAT gateway", err)
        self.assertNotIn("bw-vpc-noegress", self.stack_names())

    def test_public_subnets_need_public_ips(self):
        vpc, subnets = existing_vpc(["igw", "igw"])
        rc, out, err = self.deploy("bw-vpc-igw", "--vpc-id", vpc, "--subnet-ids", ",".join(subnets))
        self.assertEqual(rc, 1)
        self.assertIn("no public IP", out + err)
        self.assertIn("--assign-public-ip true", err)
        self.assertNotIn("bw-vpc-igw", self.stack_names())
        rc, out, err = run_cli(["template", "--image-uri", IMAGE, "--vpc-id", vpc, "--subnet-ids", ",".join(subnets),
                                "--assign-public-ip", "true"], self.env)
        self.assertEqual(rc, 0, err)
        self.assertIn("with public IPs", err)

    def test_one_zone_another_vpcs_subnet_and_an_unknown_vpc_are_refused_before_any_stack(self):
        vpc, subnets = existing_vpc(["nat", "nat"], zones=("a", "a"))
        rc, _, err = self.deploy("bw-vpc-onezone", "--vpc-id", vpc, "--subnet-ids", ",".join(subnets))
        self.assertEqual(rc, 1)
        self.assertIn(f"all in one Availability Zone ({REGION}a)", err)
        other_vpc, other_subnets = existing_vpc(["nat", "nat"])
        rc, out, err = self.deploy("bw-vpc-mixed", "--vpc-id", vpc, "--subnet-ids", f"{subnets[0]},{other_subnets[1]}")
        self.assertEqual(rc, 1)
        self.assertIn(f"{other_subnets[1]}: is in {other_vpc}, not in {vpc}", out + err)
        rc, _, err = self.deploy("bw-vpc-unknown", "--vpc-id", "vpc-0123456789abcdef0", "--subnet-ids",
                                 ",".join(subnets))
        self.assertEqual(rc, 1)
        self.assertIn("VPC not found: vpc-0123456789abcdef0", err)
        for name in ("bw-vpc-onezone", "bw-vpc-mixed", "bw-vpc-unknown"):
            self.assertNotIn(name, self.stack_names())

    def test_the_cidr_of_an_existing_vpc_is_read_not_typed(self):
        vpc, subnets = existing_vpc(["nat", "nat"])
        rc, _, err = run_cli(["template", "--image-uri", IMAGE, "--vpc-id", vpc, "--subnet-ids", ",".join(subnets),
                              "--vpc-cidr", "172.31.0.0/16"], self.env)
        self.assertEqual(rc, 2)
        self.assertIn("--vpc-cidr", err)


class Encryption(unittest.TestCase):
    """Customer-managed KMS keys behind the secret, the bucket and the packager queue are found before
    deploying, and the task role may use exactly those."""

    @classmethod
    def setUpClass(cls):
        cls.kms = MOTO.client("kms")
        cls.stack_arn = WORLD.create_stack("quilt-kms")

    def kms_statement(self, template):
        found = [st for st in task_role_statements(template) if st.get("Sid") == "UseCustomerManagedKeys"]
        return found[0] if found else None

    def test_customer_keys_of_secret_and_bucket_are_granted_and_aws_managed_ones_are_not(self):
        secret_key = self.kms.create_key(Description="benchling secret")["KeyMetadata"]["Arn"]
        bucket_key = self.kms.create_key(Description="lab data")["KeyMetadata"]["Arn"]
        WORLD.sm.create_secret(Name="bw/kms", KmsKeyId=secret_key,
                               SecretString=json.dumps(valid_secret(user_bucket="kms-bucket")))
        WORLD.create_bucket("kms-bucket")
        WORLD.s3.put_bucket_encryption(Bucket="kms-bucket", ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": bucket_key}}]})
        sqs = MOTO.client("sqs")
        sqs.set_queue_attributes(QueueUrl=sqs.get_queue_url(QueueName="quilt-packager")["QueueUrl"],
                                 Attributes={"KmsMasterKeyId": "alias/aws/sqs"})
        rc, out, err = run_cli(["template", "--image-uri", IMAGE], env_for(self.stack_arn, "bw/kms"))
        self.assertEqual(rc, 0, err)
        self.assertIn(f"Encryption of the Benchling secret: customer managed key {secret_key}", err)
        self.assertIn(f"Encryption of the user bucket: customer managed key {bucket_key}", err)
        self.assertIn("Encryption of the packager queue: AWS managed (nothing to grant)", err)
        statement = self.kms_statement(json.loads(out))
        self.assertEqual(statement["Action"], ["kms:Decrypt", "kms:GenerateDataKey"])
        self.assertEqual(statement["Resource"], [secret_key, bucket_key])

        # The default world (aws/secretsmanager, SSE-S3): no KMS permission at all.
        WORLD.create_secret("bw/nokms", valid_secret())
        rc, out, err = run_cli(["template", "--image-uri", IMAGE], env_for(self.stack_arn, "bw/nokms"))
        self.assertEqual(rc, 0, err)
        self.assertIsNone(self.kms_statement(json.loads(out)))
        self.assertIn("Encryption of the Benchling secret: AWS managed", err)

    def test_a_disabled_key_stops_the_deploy_before_any_stack(self):
        key = self.kms.create_key(Description="disabled")["KeyMetadata"]
        self.kms.disable_key(KeyId=key["KeyId"])
        WORLD.sm.create_secret(Name="bw/kms-off", KmsKeyId=key["Arn"], SecretString=json.dumps(valid_secret()))
        rc, out, err = run_cli(["deploy", "--image-uri", IMAGE, "--stack-name", "bw-kms-off", "--yes"],
                               env_for(self.stack_arn, "bw/kms-off"))
        self.assertEqual(rc, 1)
        self.assertIn(f"The KMS key of the Benchling secret is Disabled: {key['Arn']}", err)
        stacks = {s["StackName"] for s in MOTO.client("cloudformation").list_stacks()["StackSummaries"]}
        self.assertNotIn("bw-kms-off", stacks)


class Manifest(unittest.TestCase):
    def test_manifest_is_yaml_with_the_canvas_feature_and_subscriptions(self):
        rc, out, err = run_cli(["manifest", "--catalog", "quilt.example.com"], base_env())
        self.assertEqual(rc, 0, err)
        doc = yaml.safe_load(out)
        self.assertEqual(doc["info"]["name"], "quilt-example-com")
        self.assertEqual([f["type"] for f in doc["features"]], ["CANVAS"])
        types = [m["type"] for m in doc["subscriptions"]["messages"]]
        for t in ("v2.canvas.userInteracted", "v2.canvas.created", "v2.entry.created", "v2.entry.updated.fields"):
            self.assertIn(t, types)

    def test_manifest_writes_the_file_it_is_given(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "app-manifest.yaml")
            rc, out, err = run_cli(["manifest", "-o", path], base_env())
            self.assertEqual(rc, 0, err)
            self.assertEqual(out, "")
            with open(path) as f:
                self.assertEqual(yaml.safe_load(f)["subscriptions"]["deliveryMethod"], "WEBHOOK")


if __name__ == "__main__":
    unittest.main()
