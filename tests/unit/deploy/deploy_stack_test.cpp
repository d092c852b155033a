// deploy_stack against a scripted CloudFormation on loopback: the paths moto cannot produce (a failed
// create with resource events, a declined change set).
#include "deploy/deploy_stack.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <sstream>

#include "core/encoding.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::deploy {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::Reply;

constexpr const char* kStackArn = "arn:aws:cloudformation:us-east-1:123456789012:stack/bw/0f0e";
constexpr const char* kChangeSetArn = "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1a2b";

std::string action_of(const RecordedRequest& r) {
  const std::string key = "Action=";
  auto pos = r.body.find(key);
  if (pos == std::string::npos) return {};
  auto end = r.body.find('&', pos);
  return r.body.substr(pos + key.size(),
                       end == std::string::npos ? std::string::npos : end - pos - key.size());
}

Reply xml(std::string body) {
  return Reply::text(200, std::move(body)).with_header("Content-Type", "text/xml");
}

std::string stack_xml(const std::string& status, const std::string& reason = "") {
  return "<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>bw</StackName><StackId>" +
         std::string(kStackArn) + "</StackId><StackStatus>" + status + "</StackStatus><StackStatusReason>" +
         reason + "</StackStatusReason></member></Stacks></DescribeStacksResult></DescribeStacksResponse>";
}

std::string event_xml(const std::string& id, const std::string& logical, const std::string& type,
                      const std::string& status, const std::string& reason) {
  return "<member><StackId>" + std::string(kStackArn) + "</StackId><EventId>" + id +
         "</EventId><StackName>bw</StackName><LogicalResourceId>" + logical +
         "</LogicalResourceId><ResourceType>" + type +
         "</ResourceType><Timestamp>2026-11-26T12:00:00Z</Timestamp><ResourceStatus>" + status +
         "</ResourceStatus><ResourceStatusReason>" + reason + "</ResourceStatusReason></member>";
}

std::string events_xml(const std::vector<std::string>& members) {
  std::string s = "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents>";
  for (const auto& m : members) s += m;
  return s + "</StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>";
}

Reply missing_stack() {
  return Reply::text(
             400,
             "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id "
             "bw does not exist</Message></Error></ErrorResponse>")
      .with_header("Content-Type", "text/xml");
}

//! A CloudFormation whose first create fails: the ECS service trips its circuit breaker.
struct FailingCreate {
  std::mutex mutex;
  bool executed = false;
  std::vector<std::string> actions;

  Reply operator()(const RecordedRequest& r) {
    std::lock_guard lock(mutex);
    const std::string action = action_of(r);
    actions.push_back(action);
    if (action == "DescribeStacks") return executed ? xml(stack_xml("ROLLBACK_COMPLETE")) : missing_stack();
    if (action == "CreateChangeSet") {
      return xml("<CreateChangeSetResponse><CreateChangeSetResult><Id>" + std::string(kChangeSetArn) +
                 "</Id><StackId>" + kStackArn +
                 "</StackId></CreateChangeSetResult></CreateChangeSetResponse>");
    }
    if (action == "DescribeChangeSet") {
      return xml(
          "<DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetId>" + std::string(kChangeSetArn) +
          "</ChangeSetId><Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</"
          "ExecutionStatus><Changes>"
          "<member><Type>Resource</Type><ResourceChange><Action>Add</Action><LogicalResourceId>Service</"
          "LogicalResourceId><ResourceType>AWS::ECS::Service</ResourceType></ResourceChange></member></"
          "Changes>"
          "</DescribeChangeSetResult></DescribeChangeSetResponse>");
    }
    if (action == "DescribeStackEvents") {
      std::vector<std::string> events;
      if (executed) {
        events = {event_xml("e5", "bw", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", ""),
                  event_xml("e4", "Queue", "AWS::SQS::Queue", "CREATE_FAILED", "Resource creation cancelled"),
                  event_xml("e3", "Service", "AWS::ECS::Service", "CREATE_FAILED",
                            "ECS Deployment Circuit Breaker was triggered"),
                  event_xml("e2", "Service", "AWS::ECS::Service", "CREATE_IN_PROGRESS", "")};
      }
      events.push_back(
          event_xml("e1", "bw", "AWS::CloudFormation::Stack", "REVIEW_IN_PROGRESS", "User Initiated"));
      return xml(events_xml(events));
    }
    if (action == "ExecuteChangeSet") {
      executed = true;
      return xml("<ExecuteChangeSetResponse/>");
    }
    if (action == "DeleteChangeSet") return xml("<DeleteChangeSetResponse/>");
    if (action == "DeleteStack") return xml("<DeleteStackResponse/>");
    return Reply::text(500, "unexpected " + action);
  }
};

struct Fixture {
  explicit Fixture(LoopbackServer& server)
      : aws(server, "AWS_ENDPOINT_URL_CLOUDFORMATION", "us-east-1"), cfn(&aws.service) {}
  testing::AwsLoopback<aws::CloudFormation> aws;
  aws::CloudFormation* cfn;
  std::ostringstream out, err;
  Console console{out, err, {}, [](std::chrono::milliseconds) {}};
};

DeployOptions options() {
  DeployOptions o;
  o.stack_name = "bw";
  o.region = "us-east-1";
  o.yes = true;
  return o;
}

TEST(DeployStack, AFailedCreateListsTheFailedResourcesWithTheirReasons) {
  FailingCreate cfn_state;
  LoopbackServer server([&](const RecordedRequest& r) { return cfn_state(r); });
  Fixture f(server);
  auto outcome = deploy_stack(*f.cfn, R"({"Resources":{}})", options(), f.console);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("ROLLBACK_COMPLETE"), std::string::npos);
  EXPECT_NE(outcome.error().suggestion.find("benchling-webhook destroy --stack-name bw"), std::string::npos);
  const std::string err = f.err.str();
  EXPECT_NE(err.find("Service (AWS::ECS::Service): ECS Deployment Circuit Breaker was triggered"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("Resource creation cancelled"), std::string::npos) << err;  // an echo, not a cause
  // Progress: every event after the one seen before executing, oldest first.
  const std::string out = f.out.str();
  const auto in_progress = out.find("CREATE_IN_PROGRESS");
  const auto failed = out.find("CREATE_FAILED");
  ASSERT_NE(in_progress, std::string::npos) << out;
  EXPECT_LT(in_progress, failed);
  EXPECT_EQ(out.find("REVIEW_IN_PROGRESS"), std::string::npos) << out;
}

TEST(DeployStack, DecliningAFirstCreateLeavesNoStackBehind) {
  FailingCreate cfn_state;
  LoopbackServer server([&](const RecordedRequest& r) { return cfn_state(r); });
  Fixture f(server);
  f.console.confirm = [](std::string_view) { return false; };
  DeployOptions o = options();
  o.yes = false;
  auto outcome = deploy_stack(*f.cfn, R"({"Resources":{}})", o, f.console);
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "Cancelled: nothing was changed");
  std::lock_guard lock(cfn_state.mutex);
  EXPECT_FALSE(cfn_state.executed);
  EXPECT_EQ(cfn_state.actions.back(), "DeleteStack");  // the REVIEW_IN_PROGRESS stack the change set made
  EXPECT_EQ(cfn_state.actions[cfn_state.actions.size() - 2], "DeleteChangeSet");
}

TEST(DeployStack, ABusyStackIsRefusedBeforeAnyChange) {
  LoopbackServer server([](const RecordedRequest& r) {
    return action_of(r) == "DescribeStacks" ? xml(stack_xml("UPDATE_IN_PROGRESS"))
                                            : Reply::text(500, "no other call expected");
  });
  Fixture f(server);
  auto outcome = deploy_stack(*f.cfn, "{}", options(), f.console);
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("busy"), std::string::npos);
  EXPECT_EQ(server.request_count(), 1u);
}

}  // namespace
}  // namespace bw::deploy
