#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "config/secret_ref.hpp"
#include "config/stack_arn.hpp"
#include "deploy/preflight_api_logging.hpp"
#include "deploy/template.hpp"

namespace bw::deploy {
namespace {

namespace json = boost::json;

TemplateOptions options() {
  TemplateOptions o;
  o.quilt_stack = config::parse_stack_arn(
                      "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/"
                      "0a1b2c3d-4e5f-6789-abcd-ef0123456789")
                      .value();
  o.secret = config::parse_secret_ref("benchling/creds", o.quilt_stack.region).value();
  o.image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/benchling-webhook:0.1.0";
  o.user_bucket = "acme-benchling";
  o.packager_queue_arn = "arn:aws:sqs:us-east-1:123456789012:quilt-prod-PackagerQueue-AbC123";
  o.athena_database = "userathenadatabase-x1y2";
  return o;
}

json::object render(const TemplateOptions& o) {
  auto r = render_template(o);
  EXPECT_TRUE(r) << (r ? "" : r.error().to_text());
  return r ? *r : json::object{};
}

const json::object& props(const json::object& t, std::string_view id) {
  return t.at("Resources").at(id).at("Properties").as_object();
}

std::vector<std::string> ids_of_type(const json::object& t, std::string_view type) {
  std::vector<std::string> out;
  for (const auto& [id, r] : t.at("Resources").as_object()) {
    if (r.at("Type").as_string() == type) out.emplace_back(id);
  }
  return out;
}

void expect_flag_error(const TemplateOptions& o, std::string_view flag, std::string_view needle) {
  auto r = validate_options(o);
  ASSERT_FALSE(r) << flag;
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument) << flag;
  std::string detail;
  for (const auto& [k, v] : r.error().details) {
    if (k == "flag") detail = v;
  }
  EXPECT_EQ(detail, flag);
  EXPECT_NE((r.error().message + " " + r.error().suggestion).find(needle), std::string::npos)
      << r.error().to_text();
}

// --- alarms, access logs, throttling (template_alarms.cpp) ---------------------------------------------

TEST(TemplateMonitoring, BadAlarmFlagsNameTheFlag) {
  auto o = options();
  o.monitoring.alarm_email = "ops@example.com";
  o.monitoring.alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops";
  expect_flag_error(o, "--alarm-email", "exclude each other");
  o.monitoring.alarm_email.clear();
  EXPECT_TRUE(validate_options(o));
  o.monitoring.alarm_topic_arn = "arn:aws:sns:us-west-2:123456789012:ops";
  expect_flag_error(o, "--alarm-topic-arn", "us-east-1");
  for (const char* bad : {"arn:aws:sns:us-east-1:12345678901:ops",
                          "arn:aws:sns:us-east-1:123456789012:", "arn:aws:sqs:us-east-1:123456789012:ops",
                          "arn:aws:sns:us-east-1:123456789012:a b"}) {
    o.monitoring.alarm_topic_arn = bad;
    expect_flag_error(o, "--alarm-topic-arn", "not an SNS topic ARN");
  }
  o.monitoring.alarm_topic_arn.clear();
  for (const char* bad : {"ops", "ops@", "@example.com", "ops@example", "ops@exa mple.com", "a@b..com",
                          "ops@-example.com", "a<b>@example.com"}) {
    o.monitoring.alarm_email = bad;
    expect_flag_error(o, "--alarm-email", "not an email address");
  }
  o.monitoring.alarm_email = "first.last+alerts@ops.example.co.uk";
  EXPECT_TRUE(validate_options(o));
}

TEST(TemplateMonitoring, LimitsAreChecked) {
  auto o = options();
  o.monitoring.api_burst_limit = 5001;
  expect_flag_error(o, "--api-burst-limit", "1 to 5000");
  o = options();
  o.monitoring.api_rate_limit = 0;
  expect_flag_error(o, "--api-rate-limit", "1 to 10000");
  o = options();
  o.monitoring.oldest_job_alarm_minutes = 1441;
  expect_flag_error(o, "--oldest-job-alarm-minutes", "1 to 1440");
}

TEST(TemplateMonitoring, AlarmsWithoutRecipientHaveNoActionsAndTheTopicIsUsedWhenGiven) {
  auto t = render(options());
  const auto alarms = ids_of_type(t, "AWS::CloudWatch::Alarm");
  EXPECT_EQ(alarms.size(), 5u);
  for (const auto& id : alarms) EXPECT_FALSE(props(t, id).contains("AlarmActions")) << id;
  auto o = options();
  o.monitoring.alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops";
  t = render(o);
  for (const auto& id : ids_of_type(t, "AWS::CloudWatch::Alarm")) {
    EXPECT_EQ(props(t, id).at("AlarmActions"), (json::array{"arn:aws:sns:us-east-1:123456789012:ops"}));
  }
  EXPECT_TRUE(ids_of_type(t, "AWS::SNS::Topic").empty());
}

TEST(TemplateMonitoring, StageHasAccessLogsAndThrottling) {
  auto o = options();
  o.monitoring.api_burst_limit = 30;
  o.monitoring.api_rate_limit = 10;
  o.log_retention_days = 14;
  auto t = render(o);
  const auto& stage = props(t, "Stage");
  EXPECT_TRUE(stage.at("AccessLogSetting").as_object().contains("Format"));
  const auto& method = stage.at("MethodSettings").at(0).as_object();
  EXPECT_EQ(method.at("ThrottlingBurstLimit"), 30);
  EXPECT_EQ(method.at("ThrottlingRateLimit"), 10);
  EXPECT_EQ(props(t, "ApiAccessLogGroup").at("RetentionInDays"), 14);
  EXPECT_TRUE(ids_of_type(t, "AWS::ApiGateway::Account").empty());  // the region's role is left alone
  EXPECT_FALSE(t.at("Resources").at("Stage").as_object().contains("DependsOn"));

  o.monitoring.set_api_gateway_account = true;
  t = render(o);
  const auto accounts = ids_of_type(t, "AWS::ApiGateway::Account");
  ASSERT_EQ(accounts.size(), 1u);
  const auto role = props(t, accounts[0]).at("CloudWatchRoleArn").at("Fn::GetAtt").at(0).as_string();
  EXPECT_EQ(props(t, role).at("Path"), "/benchling-webhook/");
  EXPECT_EQ(t.at("Resources").at(role).at("DeletionPolicy"), "Retain");
  EXPECT_EQ(t.at("Resources").at("Stage").at("DependsOn"), (json::array{json::string(accounts[0])}));
}

TEST(PreflightApiLogging, SetsTheRoleWhenNoneOrOursIsSetAndLeavesAnyOtherAlone) {
  EXPECT_TRUE(stack_sets_api_gateway_role(""));
  EXPECT_TRUE(stack_sets_api_gateway_role(
      "arn:aws:iam::123456789012:role/benchling-webhook/bw-ApiGatewayCloudWatchRole-AbC123"));
  EXPECT_FALSE(stack_sets_api_gateway_role("arn:aws:iam::123456789012:role/apigw-logs"));
  EXPECT_FALSE(stack_sets_api_gateway_role("arn:aws:iam::123456789012:role/team/benchling-webhook/x"));
}

}  // namespace
}  // namespace bw::deploy
