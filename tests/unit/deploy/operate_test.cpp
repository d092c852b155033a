#include <gtest/gtest.h>

#include "deploy/deploy_stack.hpp"
#include "deploy/operate.hpp"
#include "deploy/stack_watch.hpp"

namespace bw::deploy {
namespace {

aws::StackEvent event(std::string logical, std::string status, std::string reason,
                      std::string type = "AWS::SQS::Queue") {
  aws::StackEvent e;
  e.event_id = logical + status;
  e.logical_id = std::move(logical);
  e.resource_type = std::move(type);
  e.status = std::move(status);
  e.reason = std::move(reason);
  e.timestamp = core::SystemTime(std::chrono::seconds(1795000000));
  return e;
}

TEST(StackWatch, RootCausesSkipCancellationEchoesAndTheStackItself) {
  // Newest first, as DescribeStackEvents returns them.
  std::vector<aws::StackEvent> events = {
      event("bw", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Service]",
            "AWS::CloudFormation::Stack"),
      event("Queue", "CREATE_FAILED", "Resource creation cancelled"),
      event("Service", "CREATE_FAILED", "ECS Deployment Circuit Breaker was triggered", "AWS::ECS::Service"),
      event("Role", "CREATE_FAILED", "Policy has invalid resource", "AWS::IAM::Role"),
      event("Queue", "CREATE_IN_PROGRESS", ""),
  };
  auto causes = root_causes(events);
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0].logical_id, "Role");  // oldest first: the first failure leads
  EXPECT_EQ(causes[1].logical_id, "Service");
}

TEST(StackWatch, EventLineHasTimeStatusTypeResourceAndReason) {
  auto line = format_event(event("Service", "CREATE_FAILED", "boom", "AWS::ECS::Service"));
  EXPECT_EQ(line.substr(0, 8).find(':'), 2u);
  EXPECT_NE(line.find("CREATE_FAILED"), std::string::npos);
  EXPECT_NE(line.find("AWS::ECS::Service"), std::string::npos);
  EXPECT_NE(line.find("Service  boom"), std::string::npos);
}

TEST(DeployStack, TemplatesCompareAsJsonNotAsText) {
  EXPECT_TRUE(same_template(R"({"a":1,"b":[1,2]})", "{\n  \"b\": [1, 2],\n  \"a\": 1\n}"));
  EXPECT_FALSE(same_template(R"({"a":1})", R"({"a":2})"));
  EXPECT_FALSE(same_template(R"({"a":[1,2]})", R"({"a":[2,1]})"));
  EXPECT_FALSE(same_template("not json", "not json"));  // unreadable never counts as unchanged
}

TEST(DeployStack, ChangeLinesSayWhenAResourceIsReplaced) {
  aws::ResourceChange c;
  c.action = "Modify";
  c.logical_id = "TaskDefinition";
  c.resource_type = "AWS::ECS::TaskDefinition";
  c.replacement = "True";
  EXPECT_EQ(
      format_change(c),
      "  Modify   TaskDefinition                        AWS::ECS::TaskDefinition  (replaces the resource)");
  c.replacement = "False";
  EXPECT_EQ(format_change(c).find("replace"), std::string::npos);
}

TEST(Logs, DurationsTakeOneUnit) {
  EXPECT_EQ(parse_duration("90s"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("10m"), std::chrono::seconds(600));
  EXPECT_EQ(parse_duration("2h"), std::chrono::seconds(7200));
  EXPECT_EQ(parse_duration("7d"), std::chrono::seconds(7 * 86400));
  EXPECT_EQ(parse_duration("30d"), std::chrono::seconds(30 * 86400));
  for (const char* bad :
       {"", "m", "10", "10x", "-5m", "0m", "31d", "1.5h", "10 m", "99999999999999999999s"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

}  // namespace
}  // namespace bw::deploy
