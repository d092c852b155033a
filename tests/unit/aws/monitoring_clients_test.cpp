#include <gtest/gtest.h>

#include "aws/apigateway.hpp"
#include "aws/cloudwatch.hpp"
#include "aws/elbv2.hpp"

namespace bw::aws {
namespace {

// Shapes from the Elastic Load Balancing v2 and CloudWatch API references.
constexpr const char* kTargetHealth = R"(<DescribeTargetHealthResponse
    xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/">
  <DescribeTargetHealthResult><TargetHealthDescriptions>
    <member><HealthCheckPort>8080</HealthCheckPort><TargetHealth><State>healthy</State></TargetHealth>
      <Target><Port>8080</Port><Id>10.0.0.7</Id></Target></member>
    <member><HealthCheckPort>8080</HealthCheckPort>
      <TargetHealth><State>unhealthy</State><Reason>Target.FailedHealthChecks</Reason>
        <Description>Health checks failed</Description></TargetHealth>
      <Target><Port>8080</Port><Id>10.0.1.9</Id></Target></member>
  </TargetHealthDescriptions></DescribeTargetHealthResult>
  <ResponseMetadata><RequestId>c534f810-f389-11e5-9192-3fff33344cfa</RequestId></ResponseMetadata>
</DescribeTargetHealthResponse>)";

TEST(Elbv2, TargetHealthHasIdPortStateAndReason) {
  auto targets = parse_describe_target_health(kTargetHealth);
  ASSERT_TRUE(targets) << targets.error().to_text();
  ASSERT_EQ(targets->size(), 2u);
  EXPECT_EQ(targets->at(0).id, "10.0.0.7");
  EXPECT_EQ(targets->at(0).port, "8080");
  EXPECT_EQ(targets->at(0).state, "healthy");
  EXPECT_EQ(targets->at(0).reason, "");
  EXPECT_EQ(targets->at(1).state, "unhealthy");
  EXPECT_EQ(targets->at(1).reason, "Target.FailedHealthChecks");
}

TEST(Elbv2, UnreadableRepliesAreRemoteErrorsNeverQuoted) {
  for (const char* bad : {"not xml <", "<Other/>"}) {
    auto r = parse_describe_target_health(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
    EXPECT_EQ(r.error().to_text().find("Other"), std::string::npos);
  }
}

constexpr const char* kAlarms =
    R"(<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">
  <DescribeAlarmsResult><MetricAlarms>
    <member><AlarmName>benchling-webhook-abc-work-dlq</AlarmName><StateValue>ALARM</StateValue>
      <StateReason>Threshold Crossed</StateReason><Namespace>AWS/SQS</Namespace>
      <MetricName>ApproximateNumberOfMessagesVisible</MetricName>
      <AlarmActions><member>arn:aws:sns:us-east-1:123456789012:ops</member></AlarmActions></member>
    <member><AlarmName>benchling-webhook-abc-api-5xx</AlarmName><StateValue>OK</StateValue>
      <Namespace>AWS/ApiGateway</Namespace><MetricName>5XXError</MetricName><AlarmActions/></member>
  </MetricAlarms><CompositeAlarms/></DescribeAlarmsResult>
</DescribeAlarmsResponse>)";

TEST(CloudWatch, AlarmsHaveNameStateReasonMetricAndActions) {
  auto alarms = parse_describe_alarms(kAlarms);
  ASSERT_TRUE(alarms) << alarms.error().to_text();
  ASSERT_EQ(alarms->size(), 2u);
  EXPECT_EQ(alarms->at(0).name, "benchling-webhook-abc-work-dlq");
  EXPECT_EQ(alarms->at(0).state, "ALARM");
  EXPECT_EQ(alarms->at(0).state_reason, "Threshold Crossed");
  EXPECT_EQ(alarms->at(0).metric_name, "ApproximateNumberOfMessagesVisible");
  EXPECT_EQ(alarms->at(0).alarm_actions, std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:ops"});
  EXPECT_TRUE(alarms->at(1).alarm_actions.empty());
  EXPECT_FALSE(parse_describe_alarms("<DescribeStacksResponse/>"));
}

TEST(ApiGateway, AccountRoleIsReadAndEmptyWhenUnset) {
  auto arn = parse_get_account(
      R"({"cloudwatchRoleArn":"arn:aws:iam::123456789012:role/apigw","throttleSettings":{"burstLimit":5000}})");
  ASSERT_TRUE(arn);
  EXPECT_EQ(*arn, "arn:aws:iam::123456789012:role/apigw");
  EXPECT_EQ(parse_get_account(R"({"throttleSettings":{"rateLimit":10000.0}})").value(), "");
  EXPECT_FALSE(parse_get_account("<html>"));
}

}  // namespace
}  // namespace bw::aws
