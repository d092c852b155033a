#include "deploy/deployed_settings.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/secret_ref.hpp"
#include "config/stack_arn.hpp"

namespace bw::deploy {
namespace {

constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
constexpr const char* kImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/benchling-webhook:0.1.0";

TemplateOptions options() {
  TemplateOptions o;
  o.quilt_stack = config::parse_stack_arn(kStackArn).value();
  o.secret = config::parse_secret_ref("benchling/creds", o.quilt_stack.region).value();
  o.image_uri = kImage;
  o.user_bucket = "acme-benchling";
  o.packager_queue_arn = "arn:aws:sqs:us-east-1:123456789012:quilt-prod-PackagerQueue-AbC123";
  o.athena_database = "userathenadatabase-x1y2";
  return o;
}

TEST(DeployFlags, DefaultsGiveTheTwoSettingsAndTheImageOnly) {
  EXPECT_EQ(deploy_flags(options()),
            (std::vector<std::string>{"--quilt-stack-arn", kStackArn, "--benchling-secret", "benchling/creds",
                                      "--image-uri", kImage}));
}

TEST(DeployFlags, EveryNonDefaultOptionIsRepeated) {
  auto o = options();
  o.cpu = 1024;
  o.memory_mib = 4096;
  o.min_tasks = 3;
  o.max_tasks = 6;
  o.cpu_target_percent = 50;
  o.workers_per_task = 8;
  o.canvas_workers_per_task = 3;
  o.backlog_per_task = 16;
  o.log_retention_days = 90;
  o.vpc_id = "vpc-0123456789abcdef0";
  o.subnet_ids = {"subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"};
  o.assign_public_ip = false;
  o.monitoring.alarm_email = "ops@example.com";
  o.monitoring.oldest_job_alarm_minutes = 30;
  o.monitoring.api_burst_limit = 50;
  o.monitoring.api_rate_limit = 20;
  const auto f = deploy_flags(o);
  std::string joined;
  for (const auto& w : f) joined.append(" ").append(w);
  EXPECT_NE(joined.find(" --cpu 1024 --memory 4096 --min-tasks 3 --max-tasks 6 --cpu-target 50 "
                        "--workers-per-task 8 --canvas-workers-per-task 3 --backlog-per-task 16 "
                        "--log-retention-days 90 --vpc-id vpc-0123456789abcdef0 --subnet-ids "
                        "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2 --assign-public-ip false "
                        "--alarm-email ops@example.com --oldest-job-alarm-minutes 30 --api-burst-limit 50 "
                        "--api-rate-limit 20"),
            std::string::npos)
      << joined;
  o = options();
  o.vpc_cidr = "10.9.0.0/16";
  o.monitoring.alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops";
  joined.clear();
  for (const auto& w : deploy_flags(o)) joined.append(" ").append(w);
  EXPECT_NE(joined.find("--vpc-cidr 10.9.0.0/16 --alarm-topic-arn arn:aws:sns:us-east-1:123456789012:ops"),
            std::string::npos);
}

TEST(ShellQuote, SafeWordsStayAndOthersAreSingleQuoted) {
  EXPECT_EQ(shell_quote("benchling/creds"), "benchling/creds");
  EXPECT_EQ(shell_quote(kStackArn), kStackArn);
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote(""), "''");
}

TEST(DeployedSettings, RoundTripWithACanonicalAllowList) {
  auto o = options();
  o.webhook_allow_list = " 192.0.2.0/24 ,198.51.100.7,, 192.0.2.0/24";
  auto parsed = parse_deployed_settings(deployed_settings_json(o));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->quilt_stack_arn, kStackArn);
  EXPECT_EQ(parsed->benchling_secret, "benchling/creds");
  EXPECT_EQ(parsed->user_bucket, "acme-benchling");
  EXPECT_EQ(parsed->webhook_allow_list, "192.0.2.0/24,198.51.100.7");
  EXPECT_FALSE(parse_deployed_settings("{\"user_bucket\":\"x\"}"));
  EXPECT_FALSE(parse_deployed_settings("not json"));
}

TEST(SettingsDrift, OnlyValuesThatChangeWhatTheTemplateBuildsAreDrift) {
  DeployedSettings d{kStackArn, "benchling/creds", "acme-benchling", "192.0.2.0/24"};
  EXPECT_TRUE(settings_drift(d, "acme-benchling", " 192.0.2.0/24 ,").empty());
  auto drift = settings_drift(d, "other", "192.0.2.0/24,198.51.100.7");
  ASSERT_EQ(drift.size(), 2u);
  EXPECT_EQ(drift[0].key, "user_bucket");
  EXPECT_EQ(drift[0].deployed, "acme-benchling");
  EXPECT_EQ(drift[0].current, "other");
  EXPECT_EQ(drift[1].current, "192.0.2.0/24,198.51.100.7");
  EXPECT_EQ(drift_lines({drift[0]}),
            "  - user_bucket: deployed 'acme-benchling', the secret now says 'other'\n");
}

TEST(NamesSecret, ByNameOrArnOfTheSameSecret) {
  const std::string arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-AbC123";
  EXPECT_TRUE(names_secret("benchling/creds", "benchling/creds", arn));
  EXPECT_TRUE(names_secret(arn, "benchling/creds", arn));
  EXPECT_TRUE(names_secret("arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds",
                           "benchling/creds", arn));
  EXPECT_FALSE(names_secret("benchling/other", "benchling/creds", arn));
  EXPECT_FALSE(names_secret("arn:aws:secretsmanager:us-east-1:999999999999:secret:benchling/creds-AbC123",
                            "benchling/creds", arn));
}

TEST(DeployedSettingsOutputs, TemplateRecordsSettingsAndTheCommandWithTheStackName) {
  auto o = options();
  o.monitoring.alarm_email = "ops@example.com";
  auto t = render_template(o);
  ASSERT_TRUE(t) << t.error().to_text();
  const auto& outputs = t->at("Outputs").as_object();
  EXPECT_EQ(outputs.at(kDeployedSettingsOutput).at("Value").as_string(), deployed_settings_json(o));
  EXPECT_EQ(outputs.at(kDeployCommandOutput).at("Value").at("Fn::Sub").as_string(),
            std::string("benchling-webhook deploy --stack-name ${AWS::StackName} --quilt-stack-arn ") +
                kStackArn + " --benchling-secret benchling/creds --image-uri " + kImage +
                " --alarm-email ops@example.com");
}

}  // namespace
}  // namespace bw::deploy
