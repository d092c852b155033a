#include "aws/ecs_tasks.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

TEST(EcsTasks, ListTasksGivesTheArns) {
  auto r = parse_list_tasks(
      R"({"taskArns":["arn:aws:ecs:us-east-1:1:task/c/a","arn:aws:ecs:us-east-1:1:task/c/b"]})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 2u);
  EXPECT_FALSE(parse_list_tasks("{}"));
  EXPECT_FALSE(parse_list_tasks(R"({"taskArns":[1]})"));
}

TEST(EcsTasks, DescribeTasksGivesStopCodeReasonAndContainers) {
  // The shape of AWS's DescribeTasks documentation example, trimmed.
  auto r = parse_describe_tasks(R"({"failures":[],"tasks":[{
    "taskArn":"arn:aws:ecs:us-east-1:123456789012:task/bw-cluster/1dc5c17a422548940a14e0c7ab1a7f8d",
    "clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/bw-cluster","lastStatus":"STOPPED",
    "desiredStatus":"STOPPED","stopCode":"EssentialContainerExited",
    "stoppedReason":"Essential container in task exited","group":"service:bw-Service-1",
    "taskDefinitionArn":"arn:aws:ecs:us-east-1:123456789012:task-definition/bw:3",
    "createdAt":1.8E9,"stoppedAt":1800000042.5,
    "containers":[{"name":"benchling-webhook","lastStatus":"STOPPED","exitCode":1,
                   "reason":"OutOfMemoryError: Container killed due to memory usage"},
                  {"name":"sidecar","lastStatus":"STOPPED"}]}]})");
  ASSERT_TRUE(r) << r.error().to_text();
  ASSERT_EQ(r->size(), 1u);
  const auto& t = r->front();
  EXPECT_EQ(t.id, "1dc5c17a422548940a14e0c7ab1a7f8d");
  EXPECT_EQ(t.stop_code, "EssentialContainerExited");
  EXPECT_EQ(t.stopped_reason, "Essential container in task exited");
  EXPECT_EQ(t.group, "service:bw-Service-1");
  ASSERT_TRUE(t.stopped_at);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(t.stopped_at->time_since_epoch()).count(),
            1800000042);
  ASSERT_EQ(t.containers.size(), 2u);
  EXPECT_EQ(t.containers[0].exit_code, 1);
  EXPECT_EQ(t.containers[0].reason, "OutOfMemoryError: Container killed due to memory usage");
  EXPECT_FALSE(t.containers[1].exit_code);
}

TEST(EcsTasks, UnreadableDescribeTasksRepliesAreRemoteErrors) {
  for (const char* bad : {"", "[]", "{}", R"({"tasks":[1]})", R"({"tasks":[{"lastStatus":"STOPPED"}]})"}) {
    auto r = parse_describe_tasks(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
  }
}

}  // namespace
}  // namespace bw::aws
