#include "aws/cloudformation.hpp"

#include <gtest/gtest.h>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackServer;
using testing::Reply;

constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

// The shape moto 5.2.1 (and AWS) answer DescribeStacks with.
const std::string kDescribeStacks = std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackName>quilt-prod</StackName>
        <StackId>)") + kStackArn + R"(</StackId>
        <CreationTime>2024-01-02T03:04:05.000Z</CreationTime>
        <StackStatus>CREATE_COMPLETE</StackStatus>
        <DisableRollback>false</DisableRollback>
        <Tags/>
        <Parameters>
          <member><ParameterKey>Env</ParameterKey><ParameterValue>dev</ParameterValue></member>
        </Parameters>
        <Outputs>
          <member>
            <OutputKey>PackagerQueueArn</OutputKey>
            <OutputValue>arn:aws:sqs:us-east-1:123456789012:packager-dev</OutputValue>
            <Description>Packager queue</Description>
          </member>
          <member>
            <OutputKey>PackagerQueueUrl</OutputKey>
            <OutputValue>https://sqs.us-east-1.amazonaws.com/123456789012/packager-dev</OutputValue>
          </member>
          <member>
            <OutputKey>UserAthenaDatabaseName</OutputKey>
            <OutputValue>userathenadatabase_dev</OutputValue>
          </member>
          <member>
            <OutputKey>QuiltWebHost</OutputKey>
            <OutputValue>quilt.example.com &amp; co</OutputValue>
          </member>
        </Outputs>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>b9b4b068-3a41-11e5-94eb-example</RequestId></ResponseMetadata>
</DescribeStacksResponse>)";

struct Harness : testing::AwsLoopback<CloudFormation> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL", "us-east-1"), cfn(&service) {}
  CloudFormation* cfn;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

TEST(CloudFormation, DescribeStackParsesOutputsInOrder) {
  LoopbackServer server(
      testing::sequence({Reply::text(200, kDescribeStacks).with_header("Content-Type", "text/xml")}));
  Harness h(server);
  auto stack = h.cfn->describe_stack(kStackArn);
  ASSERT_TRUE(stack) << stack.error().to_text();
  EXPECT_EQ(stack->name, "quilt-prod");
  EXPECT_EQ(stack->id, kStackArn);
  EXPECT_EQ(stack->status, "CREATE_COMPLETE");
  ASSERT_EQ(stack->outputs.size(), 4u);
  EXPECT_EQ(stack->outputs[0].key, "PackagerQueueArn");
  EXPECT_EQ(stack->outputs[0].value, "arn:aws:sqs:us-east-1:123456789012:packager-dev");
  EXPECT_EQ(stack->outputs[1].key, "PackagerQueueUrl");
  EXPECT_EQ(stack->outputs[2].key, "UserAthenaDatabaseName");
  EXPECT_EQ(stack->output("QuiltWebHost"), "quilt.example.com & co");
  EXPECT_FALSE(stack->output("Env"));  // parameters are not outputs

  auto req = server.requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.header("Content-Type"), "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(req.body,
            "Action=DescribeStacks&Version=2010-05-15&StackName=arn%3Aaws%3Acloudformation%3Aus-east-1%"
            "3A123456789012"
            "%3Astack%2Fquilt-prod%2F0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  EXPECT_NE(req.header("Authorization").value_or("").find("/us-east-1/cloudformation/aws4_request"),
            std::string::npos);
}

TEST(CloudFormation, MissingStackIsNotFoundPointingAtTheArn) {
  LoopbackServer server(testing::sequence(
      {Reply::text(400,
                   "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with "
                   "id quilt-prod does "
                   "not exist</Message></Error><RequestId>r1</RequestId></ErrorResponse>")}));
  Harness h(server);
  auto stack = h.cfn->describe_stack("quilt-prod");
  ASSERT_FALSE(stack);
  EXPECT_EQ(stack.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(stack.error().message, "Stack not found: quilt-prod");
  EXPECT_NE(stack.error().suggestion.find("QuiltStackARN"), std::string::npos);
  EXPECT_EQ(detail(stack.error(), "Region"), "us-east-1");
  EXPECT_TRUE(stack.error().healable());
  EXPECT_EQ(server.request_count(), 1u);  // a 400 is never retried
}

TEST(CloudFormation, OtherValidationErrorIsInvalidStackName) {
  LoopbackServer server(testing::sequence(
      {Reply::text(400,
                   "<ErrorResponse><Error><Code>ValidationError</Code><Message>1 validation error detected: "
                   "Value 'a b' at "
                   "'stackName' failed to satisfy constraint</Message></Error></ErrorResponse>")}));
  Harness h(server);
  auto stack = h.cfn->describe_stack("a b");
  ASSERT_FALSE(stack);
  EXPECT_EQ(stack.error().message, "Invalid stack name: a b");
  EXPECT_EQ(stack.error().suggestion, "Check that the stack name is correct");
}

TEST(CloudFormation, AccessDeniedKeepsItsSpecificSuggestion) {
  LoopbackServer server(testing::sequence({Reply::text(
      403,
      "<ErrorResponse><Error><Code>AccessDenied</Code><Message>User: arn:aws:sts::1:assumed-role/x is not "
      "authorized to perform: cloudformation:DescribeStacks</Message></Error></ErrorResponse>")}));
  Harness h(server);
  auto stack = h.cfn->describe_stack("quilt-prod");
  ASSERT_FALSE(stack);
  EXPECT_EQ(stack.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(stack.error().message.rfind("Failed to describe stack: User: arn:aws:sts::1", 0), 0u);
  EXPECT_NE(stack.error().suggestion.find("cloudformation:DescribeStacks"), std::string::npos);
}

TEST(CloudFormation, OtherErrorsSayFailedToDescribe) {
  LoopbackServer server(
      testing::sequence({Reply::text(400,
                                     "<ErrorResponse><Error><Code>OptInRequired</Code><Message>Subscribe "
                                     "first</Message></Error></ErrorResponse>")}));
  Harness h(server);
  auto stack = h.cfn->describe_stack("quilt-prod");
  ASSERT_FALSE(stack);
  EXPECT_EQ(stack.error().message, "Failed to describe stack: Subscribe first");
  EXPECT_EQ(stack.error().suggestion, "Check AWS credentials and permissions");
}

TEST(CloudFormation, ParseHandlesEmptyAndBrokenReplies) {
  auto empty = parse_describe_stacks(
      "<DescribeStacksResponse><DescribeStacksResult><Stacks/></DescribeStacksResult></"
      "DescribeStacksResponse>",
      "s");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(empty.error().message, "Stack not found: s");

  auto broken = parse_describe_stacks("<DescribeStacksResponse><DescribeStacksResult>", "s");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, core::ErrorCode::kRemote);

  auto json = parse_describe_stacks(R"({"Stacks": []})", "s");
  ASSERT_FALSE(json);
  EXPECT_EQ(json.error().code, core::ErrorCode::kRemote);

  auto no_outputs = parse_describe_stacks(
      "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>s</StackName>"
      "<StackStatus>ROLLBACK_COMPLETE</StackStatus></member></Stacks></DescribeStacksResult>"
      "</DescribeStacksResponse>",
      "s");
  ASSERT_TRUE(no_outputs);
  EXPECT_TRUE(no_outputs->outputs.empty());
  EXPECT_EQ(no_outputs->status, "ROLLBACK_COMPLETE");
}

}  // namespace
}  // namespace bw::aws
