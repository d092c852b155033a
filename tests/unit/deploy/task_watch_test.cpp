// TaskWatch against a scripted CloudFormation, ECS and CloudWatch Logs on loopback.
#include "deploy/task_watch.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <sstream>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::deploy {
namespace {

using testing::LoopbackServer;
using testing::RecordedRequest;
using testing::Reply;

//! AwsLoopback's client alone: TaskWatch makes its own service clients.
struct ClientOnly {
  explicit ClientOnly(aws::AwsClient&) {}
};

const core::SystemTime kStart = core::SystemTime(std::chrono::seconds(1'800'000'000));

struct Scripted {
  std::mutex mutex;
  bool deny_ecs = false;
  std::vector<std::string> list_bodies;

  Reply operator()(const RecordedRequest& r) {
    std::lock_guard lock(mutex);
    if (r.body.find("Action=DescribeStackResources") != std::string::npos) {
      return Reply::text(
                 200,
                 "<DescribeStackResourcesResponse><DescribeStackResourcesResult><StackResources>"
                 "<member><PhysicalResourceId>bw-Cluster-1</PhysicalResourceId>"
                 "<ResourceType>AWS::ECS::Cluster</ResourceType></member>"
                 "<member><PhysicalResourceId>arn:aws:ecs:us-east-1:123456789012:service/bw-Cluster-1/"
                 "bw-Service-1</PhysicalResourceId><ResourceType>AWS::ECS::Service</ResourceType></member>"
                 "<member><PhysicalResourceId>bw-LogGroup-1</PhysicalResourceId>"
                 "<ResourceType>AWS::Logs::LogGroup</ResourceType></member>"
                 "</StackResources></DescribeStackResourcesResult></DescribeStackResourcesResponse>")
          .with_header("Content-Type", "text/xml");
    }
    const std::string target = r.header("x-amz-target").value_or("");
    if (target.ends_with(".ListTasks")) {
      list_bodies.push_back(r.body);
      if (deny_ecs) {
        return Reply::
            text(400,
                 R"({"__type":"AccessDeniedException","message":"not authorized to perform: ecs:ListTasks"})")
                .with_header("Content-Type", "application/x-amz-json-1.1");
      }
      return Reply::json(200, R"({"taskArns":["arn:aws:ecs:us-east-1:123456789012:task/bw-Cluster-1/t1"]})");
    }
    if (target.ends_with(".DescribeTasks")) {
      return Reply::json(200,
                         R"({"tasks":[{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/bw-Cluster-1/t1",
        "lastStatus":"STOPPED","desiredStatus":"STOPPED","stopCode":"EssentialContainerExited",
        "stoppedReason":"Essential container in task exited","stoppedAt":1800000030,
        "containers":[{"name":"benchling-webhook","lastStatus":"STOPPED","exitCode":2}]}]})");
    }
    if (target.ends_with(".FilterLogEvents")) {
      return Reply::json(200, R"({"events":[{"logStreamName":"benchling-webhook/benchling-webhook/t1",
        "timestamp":1800000029000,"message":"error: QuiltStackARN is not a stack ARN\n","eventId":"1"}]})");
    }
    return Reply::text(500, "unexpected");
  }
};

TEST(TaskWatch, PrintsAFailedTaskWithItsLogLinesAskingEcsByServiceName) {
  Scripted aws_state;
  LoopbackServer server([&](const RecordedRequest& r) { return aws_state(r); });
  testing::AwsLoopback<ClientOnly> aws(server, "AWS_ENDPOINT_URL", "us-east-1");
  std::ostringstream out;
  TaskWatch watch(aws.client, "bw", kStart, out);
  ASSERT_TRUE(watch.poll());
  ASSERT_TRUE(watch.poll());  // the same task again: printed once
  const std::string text = out.str();
  EXPECT_NE(text.find("  ECS task t1 stopped: Essential container in task exited (EssentialContainerExited)\n"
                      "    container benchling-webhook: exit code 2\n"
                      "    last log lines (bw-LogGroup-1 benchling-webhook/benchling-webhook/t1):\n"
                      "      error: QuiltStackARN is not a stack ARN\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("ECS task t1", text.find("ECS task t1") + 1), std::string::npos) << text;
  std::lock_guard lock(aws_state.mutex);
  ASSERT_FALSE(aws_state.list_bodies.empty());
  EXPECT_NE(aws_state.list_bodies[0].find(R"("serviceName":"bw-Service-1")"), std::string::npos);
  EXPECT_NE(aws_state.list_bodies[0].find(R"("desiredStatus":"STOPPED")"), std::string::npos);
}

TEST(TaskWatch, AnEcsItMayNotReadIsSaidOnceAndDoesNotStopTheDeploy) {
  Scripted aws_state;
  aws_state.deny_ecs = true;
  LoopbackServer server([&](const RecordedRequest& r) { return aws_state(r); });
  testing::AwsLoopback<ClientOnly> aws(server, "AWS_ENDPOINT_URL", "us-east-1");
  std::ostringstream out;
  TaskWatch watch(aws.client, "bw", kStart, out);
  EXPECT_TRUE(watch.poll());
  EXPECT_TRUE(watch.poll());
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("  (not following the service's stopped tasks: ", 0), 0u) << text;
  EXPECT_NE(text.find("ecs:ListTasks"), std::string::npos) << text;
  EXPECT_EQ(text.find("(not following", 5), std::string::npos) << text;
}

}  // namespace
}  // namespace bw::deploy
