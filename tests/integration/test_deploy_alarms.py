"""Alarms, API access logs and throttling in the template; status's targets, dead letters and alarms; and
the settings the template bakes in (secret update and status tell when the stack must be redeployed)."""
import json
import shlex
import unittest

from harness.module_world import ModuleWorld
from harness.moto import ACCOUNT, REGION
from harness.service import run_cli
from harness.world import settings_hash, valid_secret

IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/benchling-webhook:1.0.0"
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:ops-alerts"


def setUpModule():
    global BASE, MOTO, WORLD, FAKE
    # deploy checks the image is in ECR, for linux/amd64
    BASE = ModuleWorld(buckets=("user-bucket", "other-bucket"), images=("1.0.0",))
    MOTO, WORLD, FAKE = BASE.moto, BASE.world, BASE.fake


def tearDownModule():
    BASE.stop()


def env_for(stack_arn, secret):
    return BASE.env_for(stack_arn, secret)


def of_type(template, type_name):
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_name}


def alarms_by_metric(template):
    return {a["Properties"]["MetricName"] + ":" + json.dumps(a["Properties"]["Dimensions"][0]["Value"]): a["Properties"]
            for a in of_type(template, "AWS::CloudWatch::Alarm").values()}


class Template(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-alarms-tmpl")
        WORLD.create_secret("bw/alarms-tmpl", valid_secret(jwks_url=FAKE.jwks_url))
        cls.h = settings_hash(cls.stack_arn, "bw/alarms-tmpl")

    def template(self, *flags):
        rc, out, err = run_cli(["template", "--image-uri", IMAGE, *flags], env_for(self.stack_arn, "bw/alarms-tmpl"))
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def test_five_alarms_watch_both_dead_letter_queues_targets_api_5xx_and_the_oldest_job(self):
        t = self.template()
        alarms = of_type(t, "AWS::CloudWatch::Alarm")
        self.assertEqual(len(alarms), 5)
        by_name = {a["Properties"]["AlarmName"]: a["Properties"] for a in alarms.values()}
        prefix = f"benchling-webhook-{self.h}-"
        self.assertEqual(set(by_name), {prefix + s for s in
                                        ("work-dlq", "events-dlq", "unhealthy-targets", "api-5xx", "oldest-job")})

        work_dlq = by_name[prefix + "work-dlq"]
        self.assertEqual((work_dlq["Namespace"], work_dlq["MetricName"]), ("AWS/SQS", "ApproximateNumberOfMessagesVisible"))
        self.assertEqual(work_dlq["Dimensions"], [{"Name": "QueueName", "Value": {"Fn::GetAtt": ["DeadLetterQueue", "QueueName"]}}])
        self.assertEqual((work_dlq["ComparisonOperator"], work_dlq["Threshold"]), ("GreaterThanThreshold", 0))
        events_dlq = by_name[prefix + "events-dlq"]
        self.assertEqual(events_dlq["Dimensions"][0]["Value"], {"Fn::GetAtt": ["EventsDeadLetterQueue", "QueueName"]})
        self.assertEqual(events_dlq["MetricName"], "ApproximateNumberOfMessagesVisible")

        targets = by_name[prefix + "unhealthy-targets"]
        self.assertEqual((targets["Namespace"], targets["MetricName"]), ("AWS/NetworkELB", "UnHealthyHostCount"))
        self.assertEqual(targets["Dimensions"], [
            {"Name": "TargetGroup", "Value": {"Fn::GetAtt": ["TargetGroup", "TargetGroupFullName"]}},
            {"Name": "LoadBalancer", "Value": {"Fn::GetAtt": ["LoadBalancer", "LoadBalancerFullName"]}}])

        api = by_name[prefix + "api-5xx"]
        self.assertEqual((api["Namespace"], api["MetricName"], api["Statistic"]), ("AWS/ApiGateway", "5XXError", "Sum"))
        # A REST API's metrics carry its name and stage.
        api_name = t["Resources"]["Api"]["Properties"]["Name"]
        self.assertEqual(api["Dimensions"], [{"Name": "ApiName", "Value": api_name}, {"Name": "Stage", "Value": "prod"}])

        oldest = by_name[prefix + "oldest-job"]
        self.assertEqual((oldest["MetricName"], oldest["Threshold"]), ("ApproximateAgeOfOldestMessage", 3600))
        self.assertEqual(oldest["Dimensions"][0]["Value"], {"Fn::GetAtt": ["WorkQueue", "QueueName"]})

        # No recipient: the alarms exist without actions, and no topic is made.
        for a in alarms.values():
            self.assertNotIn("AlarmActions", a["Properties"])
        self.assertEqual(of_type(t, "AWS::SNS::Topic"), {})
        self.assertEqual(t["Outputs"]["AlarmNamePrefix"]["Value"], prefix)
        self.assertNotIn("AlarmTopicArn", t["Outputs"])
        self.assertEqual(t["Outputs"]["EventsDeadLetterQueueUrl"]["Value"], {"Ref": "EventsDeadLetterQueue"})

    def test_alarm_email_creates_a_topic_with_the_subscription_and_every_alarm_notifies_it(self):
        t = self.template("--alarm-email", "ops@example.com")
        topics = of_type(t, "AWS::SNS::Topic")
        self.assertEqual(len(topics), 1)
        [(topic_id, topic)] = topics.items()
        self.assertEqual(topic["Properties"]["Subscription"], [{"Endpoint": "ops@example.com", "Protocol": "email"}])
        for a in of_type(t, "AWS::CloudWatch::Alarm").values():
            self.assertEqual(a["Properties"]["AlarmActions"], [{"Ref": topic_id}])
            self.assertEqual(a["Properties"]["OKActions"], [{"Ref": topic_id}])
        self.assertEqual(t["Outputs"]["AlarmTopicArn"]["Value"], {"Ref": topic_id})

    def test_alarm_topic_arn_is_notified_and_no_topic_is_created(self):
        t = self.template("--alarm-topic-arn", TOPIC, "--oldest-job-alarm-minutes", "20")
        self.assertEqual(of_type(t, "AWS::SNS::Topic"), {})
        alarms = of_type(t, "AWS::CloudWatch::Alarm").values()
        for a in alarms:
            self.assertEqual(a["Properties"]["AlarmActions"], [TOPIC])
        oldest = [a for a in alarms if a["Properties"]["MetricName"] == "ApproximateAgeOfOldestMessage"]
        self.assertEqual(oldest[0]["Properties"]["Threshold"], 1200)

    def test_access_logs_go_to_a_group_with_the_deploys_retention_in_json(self):
        t = self.template("--log-retention-days", "90")
        stage = t["Resources"]["Stage"]
        setting = stage["Properties"]["AccessLogSetting"]
        self.assertEqual(setting["DestinationArn"], {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:"
                                                               "${AWS::AccountId}:log-group:${ApiAccessLogGroup}"})
        group = t["Resources"]["ApiAccessLogGroup"]
        self.assertEqual(group["Type"], "AWS::Logs::LogGroup")
        self.assertEqual(group["Properties"]["RetentionInDays"], 90)
        fmt = json.loads(setting["Format"].replace("$context.", ""))  # the format is itself JSON
        for key in ("requestId", "ip", "status", "path", "latency", "httpMethod", "errorMessage"):
            self.assertIn(key, fmt)
        self.assertEqual(fmt["ip"], "identity.sourceIp")
        # No role in the region yet: the stack sets one, before the stage, kept on delete.
        account = of_type(t, "AWS::ApiGateway::Account")
        self.assertEqual(len(account), 1)
        [(account_id, account_res)] = account.items()
        role_id = account_res["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][0]
        role = t["Resources"][role_id]
        self.assertEqual(role["DeletionPolicy"], "Retain")
        self.assertEqual(role["Properties"]["Path"], "/benchling-webhook/")
        self.assertIn("AmazonAPIGatewayPushToCloudWatchLogs", json.dumps(role["Properties"]["ManagedPolicyArns"]))
        self.assertEqual(role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
                         {"Service": "apigateway.amazonaws.com"})
        self.assertEqual(stage["DependsOn"], [account_id])
        self.assertEqual(t["Outputs"]["ApiAccessLogGroupName"]["Value"], {"Ref": "ApiAccessLogGroup"})

    def test_a_logging_role_someone_else_set_in_the_region_is_left_alone(self):
        apigw = MOTO.client("apigateway")
        other = f"arn:aws:iam::{ACCOUNT}:role/apigw-logs"
        apigw.update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": other}])
        try:
            rc, out, err = run_cli(["template", "--image-uri", IMAGE], env_for(self.stack_arn, "bw/alarms-tmpl"))
        finally:
            apigw.update_account(patchOperations=[{"op": "replace", "path": "/cloudwatchRoleArn", "value": ""}])
        self.assertEqual(rc, 0, err)
        self.assertIn(f"[ok]   API Gateway logging role: {other} (left as it is)", err)
        t = json.loads(out)
        self.assertEqual(of_type(t, "AWS::ApiGateway::Account"), {})
        self.assertNotIn("DependsOn", t["Resources"]["Stage"])
        self.assertIn("AccessLogSetting", t["Resources"]["Stage"]["Properties"])

    def test_stage_throttling_has_defaults_and_flags(self):
        settings = self.template()["Resources"]["Stage"]["Properties"]["MethodSettings"]
        self.assertEqual(settings, [{"ResourcePath": "/*", "HttpMethod": "*", "ThrottlingBurstLimit": 200,
                                     "ThrottlingRateLimit": 100}])
        settings = self.template("--api-burst-limit", "40", "--api-rate-limit", "15")["Resources"]["Stage"]["Properties"]["MethodSettings"]
        self.assertEqual((settings[0]["ThrottlingBurstLimit"], settings[0]["ThrottlingRateLimit"]), (40, 15))

    def test_bad_monitoring_flags_are_usage_errors_naming_the_flag(self):
        cases = [
            (["--alarm-email", "ops@example.com", "--alarm-topic-arn", TOPIC], "--alarm-email", "exclude each other"),
            (["--alarm-topic-arn", "arn:aws:sqs:us-east-1:123456789012:q"], "--alarm-topic-arn", "not an SNS topic ARN"),
            (["--alarm-topic-arn", f"arn:aws:sns:eu-west-1:{ACCOUNT}:ops"], "--alarm-topic-arn", "eu-west-1"),
            (["--alarm-email", "ops@localhost"], "--alarm-email", "not an email address"),
            (["--alarm-email", "two@example.com,three@example.com"], "--alarm-email", "not an email address"),
            (["--api-burst-limit", "0"], "--api-burst-limit", "1 to 5000"),
            (["--api-rate-limit", "20000"], "--api-rate-limit", "1 to 10000"),
            (["--oldest-job-alarm-minutes", "0"], "--oldest-job-alarm-minutes", "1 to 1440"),
        ]
        for flags, flag, text in cases:
            rc, out, err = run_cli(["template", "--image-uri", IMAGE, *flags], env_for(self.stack_arn, "bw/alarms-tmpl"))
            self.assertEqual(rc, 2, f"{flags}: {err}")
            self.assertIn(text, err, flags)
            self.assertIn(flag, err, flags)
            self.assertEqual(out, "")


class DeployAndStatus(unittest.TestCase):
    """A stack deployed into moto: its alarms, then status's targets, dead letters and alarm states."""

    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-alarms-deploy")
        cls.secret = "bw/alarms-deploy"
        WORLD.create_secret(cls.secret, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
        cls.env = env_for(cls.stack_arn, cls.secret)
        cls.h = settings_hash(cls.stack_arn, cls.secret)

    def deploy(self, stack, *flags):
        return run_cli(["deploy", "--image-uri", IMAGE, "--stack-name", stack, "--yes", "--poll-interval", "0.1",
                        *flags], self.env, timeout=120)

    def outputs(self, stack):
        s = MOTO.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in s["Outputs"]}

    def status(self, stack):
        return run_cli(["status", "--stack-name", stack, "--region", REGION, "--webhook-url", "http://127.0.0.1:9"],
                       self.env)

    def test_1_without_a_recipient_deploy_says_so_once_and_the_alarms_have_no_actions(self):
        rc, out, err = self.deploy("bw-alarms")
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(out.count("Alarms have no recipients"), 1)
        self.assertIn("--alarm-email", out)
        self.assertIn("API Gateway logging role: none set in the region; the stack sets one", out)
        role = MOTO.client("apigateway").get_account()["cloudwatchRoleArn"]
        self.assertIn(":role/benchling-webhook/", role)
        alarms = MOTO.client("cloudwatch").describe_alarms(AlarmNamePrefix=f"benchling-webhook-{self.h}-")["MetricAlarms"]
        self.assertEqual(len(alarms), 5)
        self.assertTrue(all(a["AlarmActions"] == [] for a in alarms))
        # The dimensions CloudWatch sees are the resources' full names.
        targets = [a for a in alarms if a["MetricName"] == "UnHealthyHostCount"][0]
        dims = {d["Name"]: d["Value"] for d in targets["Dimensions"]}
        self.assertTrue(dims["TargetGroup"].startswith("targetgroup/"), dims)
        balancers = [lb["LoadBalancerArn"] for lb in MOTO.client("elbv2").describe_load_balancers()["LoadBalancers"]]
        self.assertIn(dims["LoadBalancer"], [arn.split(":loadbalancer/")[1] for arn in balancers])
        dlq = [a for a in alarms if a["AlarmName"].endswith("-work-dlq")][0]
        self.assertEqual(dlq["Dimensions"], [{"Name": "QueueName", "Value": f"benchling-webhook-{self.h}-dlq.fifo"}])

    def test_2_with_an_email_the_stack_makes_a_subscribed_topic_the_alarms_notify(self):
        rc, out, err = self.deploy("bw-alarms", "--alarm-email", "ops@example.com")
        self.assertEqual(rc, 0, out + err)
        # The first deploy set the region's logging role; this one keeps it (no flip between deploys).
        self.assertIn("API Gateway logging role: arn:aws:iam::", out)
        self.assertIn("(a benchling-webhook role; the stack keeps it set)", out)
        self.assertNotIn("Remove", out)
        self.assertNotIn("Alarms have no recipients", out)
        topic = self.outputs("bw-alarms")["AlarmTopicArn"]
        subs = MOTO.client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual([(s["Protocol"], s["Endpoint"]) for s in subs], [("email", "ops@example.com")])
        alarms = MOTO.client("cloudwatch").describe_alarms(AlarmNamePrefix=f"benchling-webhook-{self.h}-")["MetricAlarms"]
        self.assertEqual(len(alarms), 5)
        self.assertTrue(all(a["AlarmActions"] == [topic] for a in alarms), alarms)

    def test_3_status_shows_target_health_both_dead_letter_queues_and_alarm_states(self):
        outputs = self.outputs("bw-alarms")
        elb = MOTO.client("elbv2")
        elb.register_targets(TargetGroupArn=outputs["TargetGroupArn"],
                             Targets=[{"Id": "10.0.0.10", "Port": 8080}, {"Id": "10.0.1.10", "Port": 8080}])
        rc, out, err = self.status("bw-alarms")
        self.assertIn("Targets   2 of 2 healthy", out, err)
        self.assertIn(f"DLQs      jobs 0 (benchling-webhook-{self.h}-dlq.fifo), package events 0 "
                      f"(benchling-webhook-{self.h}-events-dlq)", out)
        self.assertIn("Alarms    5: 5 OK; notify " + outputs["AlarmTopicArn"], out)

        # A dead package event and a firing alarm are problems status names.
        sqs = MOTO.client("sqs")
        sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName=f"benchling-webhook-{self.h}-events-dlq")["QueueUrl"],
                         MessageBody="{}")
        MOTO.client("cloudwatch").set_alarm_state(AlarmName=f"benchling-webhook-{self.h}-events-dlq",
                                                  StateValue="ALARM", StateReason="Threshold Crossed: 1 datapoint")
        rc, out, err = self.status("bw-alarms")
        self.assertEqual(rc, 1)
        self.assertIn("package events 1 (", out)
        self.assertIn(f"1 package event(s) failed 5 times and wait in benchling-webhook-{self.h}-events-dlq", out)
        self.assertIn("1 ALARM, 4 OK", out)
        self.assertIn(f"alarm benchling-webhook-{self.h}-events-dlq is in ALARM: Threshold Crossed: 1 datapoint", out)

    def test_4_no_registered_target_is_a_problem(self):
        outputs = self.outputs("bw-alarms")
        MOTO.client("elbv2").deregister_targets(TargetGroupArn=outputs["TargetGroupArn"],
                                                Targets=[{"Id": "10.0.0.10"}, {"Id": "10.0.1.10"}])
        rc, out, err = self.status("bw-alarms")
        self.assertEqual(rc, 1)
        self.assertIn("Targets   none registered", out)
        self.assertIn("no task is registered with the load balancer", out)


class SettingsFixedAtDeployTime(unittest.TestCase):
    """user_bucket and webhook_allow_list are baked into the template: after `secret update` of either,
    the stack must be redeployed; secret update says so with the command, status reports the drift."""

    @classmethod
    def setUpClass(cls):
        cls.stack_arn = WORLD.create_stack("quilt-drift")
        cls.secret = "bw/drift"
        WORLD.create_secret(cls.secret, valid_secret(jwks_url=FAKE.jwks_url, api_url=FAKE.url))
        cls.env = env_for(cls.stack_arn, cls.secret)
        cls.flags = ["--image-uri", IMAGE, "--cpu", "512", "--memory", "1024", "--alarm-email", "ops@example.com"]
        cls.command = (f"benchling-webhook deploy --stack-name bw-drift --quilt-stack-arn {cls.stack_arn} "
                       f"--benchling-secret {cls.secret} --image-uri {IMAGE} --cpu 512 --memory 1024 "
                       "--alarm-email ops@example.com")

    def secret_update(self, *flags):
        return run_cli(["secret", "update", "--benchling-secret", self.secret, "--region", REGION, *flags], self.env)

    def status(self):
        return run_cli(["status", "--stack-name", "bw-drift", "--region", REGION, "--webhook-url", "http://127.0.0.1:9"],
                       self.env)

    def test_1_a_deployed_stack_records_its_settings_and_status_finds_no_drift(self):
        rc, out, err = run_cli(["deploy", "--stack-name", "bw-drift", "--yes", "--poll-interval", "0.1", *self.flags],
                               self.env, timeout=120)
        self.assertEqual(rc, 0, out + err)
        stack = MOTO.client("cloudformation").describe_stacks(StackName="bw-drift")["Stacks"][0]
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
        self.assertEqual(json.loads(outputs["DeployedSettings"]),
                         {"quilt_stack_arn": self.stack_arn, "benchling_secret": self.secret,
                          "user_bucket": "user-bucket", "webhook_allow_list": ""})
        self.assertEqual(outputs["DeployCommand"], self.command)
        rc, out, err = self.status()
        self.assertIn(f"Settings  user_bucket and webhook_allow_list as in the secret {self.secret}", out, err)
        self.assertNotIn("settings drift", out)

    def test_2_updating_a_value_the_service_reads_itself_needs_no_redeploy(self):
        rc, out, err = self.secret_update("--log-level", "DEBUG")
        self.assertEqual(rc, 0, err)
        self.assertIn("Changed: log_level", out)
        self.assertIn("no restart is needed", out)
        self.assertNotIn("redeploy", out.lower())
        # The same bucket again: no change, nothing to redeploy.
        rc, out, err = self.secret_update("--user-bucket", "user-bucket")
        self.assertEqual(rc, 0, err)
        self.assertIn("No change", out)
        self.assertNotIn("redeploy", out.lower())

    def test_3_updating_user_bucket_prints_the_redeploy_command(self):
        rc, out, err = self.secret_update("--user-bucket", "other-bucket")
        self.assertEqual(rc, 0, err)
        self.assertIn("Changed: user_bucket", out)
        self.assertIn("except user_bucket and webhook_allow_list, which the stack's template bakes in", out)
        self.assertNotIn("no restart is needed", out)
        self.assertIn("Stack bw-drift must be redeployed for this to take effect", out)
        self.assertIn("  - user_bucket: deployed 'user-bucket', the secret now says 'other-bucket'", out)
        self.assertIn("Redeploy it with:\n  " + self.command + "\n", out)

    def test_4_status_reports_the_drift_with_the_command(self):
        rc, out, err = self.status()
        self.assertEqual(rc, 1)
        self.assertIn(f"Settings  drift: the stack was built with other user_bucket than the secret {self.secret} "
                      "holds", out)
        self.assertIn("          - user_bucket: deployed 'user-bucket', the secret now says 'other-bucket'", out)
        self.assertIn("            " + self.command, out)
        self.assertIn("settings drift (user_bucket): redeploy with " + self.command, out)

    def test_5_the_printed_command_redeploys_and_the_drift_is_gone(self):
        args = shlex.split(self.command)
        self.assertEqual(args[:2], ["benchling-webhook", "deploy"])
        rc, out, err = run_cli([*args[1:], "--yes", "--poll-interval", "0.1"], self.env, timeout=120)
        self.assertEqual(rc, 0, out + err)
        self.assertIn("other-bucket", json.dumps(MOTO.client("cloudformation").get_template(StackName="bw-drift")
                                                 ["TemplateBody"]))
        rc, out, err = self.status()
        self.assertIn("Settings  user_bucket and webhook_allow_list as in the secret", out)
        self.assertNotIn("settings drift", out)

    def test_6_an_allow_list_change_is_drift_but_a_respelling_is_not(self):
        rc, out, err = self.secret_update("--webhook-allow-list", "192.0.2.0/24, 198.51.100.7")
        self.assertEqual(rc, 0, err)
        self.assertIn("  - webhook_allow_list: deployed '', the secret now says '192.0.2.0/24,198.51.100.7'", out)
        rc, out, err = run_cli([*shlex.split(self.command)[1:], "--yes", "--poll-interval", "0.1"], self.env,
                               timeout=120)
        self.assertEqual(rc, 0, out + err)
        rc, out, err = self.secret_update("--webhook-allow-list", "198.51.100.7,192.0.2.0/24 ,192.0.2.0/24")
        self.assertEqual(rc, 0, err)
        self.assertIn("Changed: webhook_allow_list", out)
        self.assertIn("  - webhook_allow_list: deployed '192.0.2.0/24,198.51.100.7', the secret now says "
                      "'198.51.100.7,192.0.2.0/24'", out)  # order matters to nobody, but is what the policy says
        rc, out, err = self.secret_update("--webhook-allow-list", "192.0.2.0/24,198.51.100.7,")
        self.assertEqual(rc, 0, err)
        self.assertIn("Changed: webhook_allow_list", out)
        self.assertNotIn("Stack bw-drift must be redeployed", out)


    def test_7_an_invalid_secret_is_a_problem_an_unreadable_one_is_only_shown(self):
        WORLD.update_secret(self.secret, raw="not json")
        rc, out, err = self.status()
        self.assertIn("Settings  not compared:", out)
        self.assertIn(f"  - the Benchling secret {self.secret} is not valid", out)
        MOTO.client("secretsmanager").delete_secret(SecretId=self.secret, ForceDeleteWithoutRecovery=True)
        rc, out, err = self.status()
        self.assertIn("Settings  not compared:", out)
        self.assertNotIn(f"the Benchling secret {self.secret}", out.split("Not healthy:")[1])


if __name__ == "__main__":
    unittest.main()
