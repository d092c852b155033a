// ECS DescribeServices. Replies marked "moto" were captured from moto 5.2.1; the others follow the AWS
// API reference.
#include "aws/ecs.hpp"

#include <gtest/gtest.h>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

struct Harness : testing::AwsLoopback<Ecs> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_ECS", "eu-west-1", "2024-03-05T06:07:08Z"), ecs(&service) {}
  Ecs* ecs;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

long long epoch_ms(const std::optional<core::SystemTime>& t) {
  return t ? std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count() : -1;
}

// moto: a service just created (its rollout never leaves IN_PROGRESS on moto, and it has no events).
const std::string kMotoService =
    R"({"services": [{"serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/bw/svc", "serviceName": "svc", )"
    R"("clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/bw", "loadBalancers": [], "serviceRegistries": [], )"
    R"("status": "ACTIVE", "desiredCount": 2, "runningCount": 0, "pendingCount": 2, "launchType": "FARGATE", )"
    R"("taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/bw:1", "taskSets": [], )"
    R"("deployments": [{"id": "ecs-svc/468457913763526059", "status": "PRIMARY", )"
    R"("taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/bw:1", "desiredCount": 2, )"
    R"("pendingCount": 2, "runningCount": 0, "failedTasks": 0, "createdAt": 1795725628.213, )"
    R"("updatedAt": 1795725628.213, "launchType": "FARGATE", "platformFamily": "FARGATE", )"
    R"("rolloutState": "IN_PROGRESS", "rolloutStateReason": "ECS deployment ecs-svc/468457913763526059 in progress."}], )"
    R"("events": [], "networkConfiguration": {}, "schedulingStrategy": "REPLICA", "deploymentController": {"type": "ECS"}, )"
    R"("propagateTags": "NONE"}], "failures": []})";

TEST(Ecs, DescribeServicesSendsJson11AndReadsMotoReply) {
  LoopbackServer server(testing::sequence({Reply::json(200, kMotoService)}));
  Harness h(server);
  auto svc = h.ecs->describe_services("bw", "svc");
  ASSERT_TRUE(svc) << svc.error().to_text();
  EXPECT_EQ(svc->arn, "arn:aws:ecs:us-east-1:123456789012:service/bw/svc");
  EXPECT_EQ(svc->name, "svc");
  EXPECT_EQ(svc->status, "ACTIVE");
  EXPECT_EQ(svc->desired, 2);
  EXPECT_EQ(svc->running, 0);
  EXPECT_EQ(svc->pending, 2);
  EXPECT_EQ(svc->task_definition, "arn:aws:ecs:us-east-1:123456789012:task-definition/bw:1");
  ASSERT_EQ(svc->deployments.size(), 1u);
  const auto& d = svc->deployments[0];
  EXPECT_EQ(d.id, "ecs-svc/468457913763526059");
  EXPECT_EQ(d.status, "PRIMARY");
  EXPECT_EQ(d.rollout_state, "IN_PROGRESS");
  EXPECT_EQ(d.rollout_state_reason, "ECS deployment ecs-svc/468457913763526059 in progress.");
  EXPECT_EQ(d.desired, 2);
  EXPECT_EQ(d.pending, 2);
  EXPECT_EQ(d.failed_tasks, 0);
  EXPECT_EQ(epoch_ms(d.created_at), 1795725628213);
  EXPECT_TRUE(svc->events.empty());

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "AmazonEC2ContainerServiceV20141113.DescribeServices");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(reqs[0].body, R"({"services":["svc"],"cluster":"bw"})");
  EXPECT_NE(reqs[0].header("Authorization").value_or("").find("/20240305/eu-west-1/ecs/aws4_request"),
            std::string::npos);
}

TEST(Ecs, DefaultClusterIsOmittedFromTheRequest) {
  LoopbackServer server(testing::sequence({Reply::json(200, kMotoService)}));
  Harness h(server);
  ASSERT_TRUE(h.ecs->describe_services("", "svc"));
  EXPECT_EQ(server.requests()[0].body, R"({"services":["svc"]})");
}

std::string aws_service_with_events(int n_events) {
  std::string events;
  for (int i = 0; i < n_events; ++i) {
    if (i) events += ",";
    events += R"({"id": "ev)" + std::to_string(i) + R"(", "createdAt": )" + std::to_string(1700000100 - i) +
              R"(.5, "message": "(service svc) event )" + std::to_string(i) + R"("})";
  }
  return R"({"services": [{"serviceArn": "arn:aws:ecs:eu-west-1:1:service/c/svc", "serviceName": "svc",)"
         R"( "status": "ACTIVE", "desiredCount": 2, "runningCount": 1, "pendingCount": 0,)"
         R"( "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/bw:8", "deployments": [)"
         R"({"id": "ecs-svc/2", "status": "PRIMARY", "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/bw:8",)"
         R"( "desiredCount": 2, "pendingCount": 0, "runningCount": 0, "failedTasks": 3, "createdAt": 1700000000.25,)"
         R"( "rolloutState": "FAILED", "rolloutStateReason": "ECS deployment circuit breaker: tasks failed to start."},)"
         R"({"id": "ecs-svc/1", "status": "ACTIVE", "taskDefinition": "arn:aws:ecs:eu-west-1:1:task-definition/bw:7",)"
         R"( "desiredCount": 2, "pendingCount": 0, "runningCount": 1, "failedTasks": 0, "createdAt": 1690000000,)"
         R"( "rolloutState": "COMPLETED"}], "events": [)" +
         events + R"(]}], "failures": []})";
}

TEST(Ecs, KeepsTheNewestTwentyEventsAndEveryDeployment) {
  auto svc = parse_describe_services(aws_service_with_events(100), "svc");
  ASSERT_TRUE(svc) << svc.error().to_text();
  ASSERT_EQ(svc->deployments.size(), 2u);
  EXPECT_EQ(svc->deployments[0].rollout_state, "FAILED");
  EXPECT_EQ(svc->deployments[0].failed_tasks, 3);
  EXPECT_EQ(svc->deployments[0].rollout_state_reason,
            "ECS deployment circuit breaker: tasks failed to start.");
  EXPECT_EQ(epoch_ms(svc->deployments[0].created_at), 1700000000250);
  EXPECT_EQ(svc->deployments[1].task_definition, "arn:aws:ecs:eu-west-1:1:task-definition/bw:7");
  EXPECT_EQ(epoch_ms(svc->deployments[1].created_at), 1690000000000);
  ASSERT_EQ(svc->events.size(), kEcsMaxEvents);
  EXPECT_EQ(svc->events.front().message, "(service svc) event 0");  // ECS lists the newest first
  EXPECT_EQ(epoch_ms(svc->events.front().created_at), 1700000100500);
  EXPECT_EQ(svc->events.back().message, "(service svc) event 19");
}

TEST(Ecs, MissingServiceIsNotFound) {
  // moto and AWS: 200 with an empty services list and a MISSING failure.
  LoopbackServer server(testing::sequence({Reply::json(
      200,
      R"({"services": [], "failures": [{"arn": "arn:aws:ecs:us-east-1:123456789012:service/missing", "reason": "MISSING"}]})")}));
  Harness h(server);
  auto svc = h.ecs->describe_services("bw", "missing");
  ASSERT_FALSE(svc);
  EXPECT_EQ(svc.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(svc.error().message, "ECS service not found: missing");
  EXPECT_EQ(detail(svc.error(), "reason"), "MISSING");
  EXPECT_EQ(detail(svc.error(), "Cluster"), "bw");
  EXPECT_EQ(detail(svc.error(), "Region"), "eu-west-1");
  const core::Error e = svc.error();  // error() returns a copy: take one to iterate
  EXPECT_EQ(
      std::count_if(e.details.begin(), e.details.end(), [](const auto& kv) { return kv.first == "Service"; }),
      1);
}

TEST(Ecs, MissingClusterIsNotFoundNamingTheCluster) {
  // moto: 400, X-Amzn-ErrorType ClusterNotFoundException.
  LoopbackServer server(testing::sequence(
      {Reply::json(
           400,
           R"({"__type": "ClusterNotFoundException", "message": "Cluster not found.", "Message": "Cluster not found."})")
           .with_header("X-Amzn-ErrorType", "ClusterNotFoundException")}));
  Harness h(server);
  auto svc = h.ecs->describe_services("nocluster", "svc");
  ASSERT_FALSE(svc);
  EXPECT_EQ(svc.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(svc.error().message, "ECS cluster not found: nocluster");
  EXPECT_EQ(detail(svc.error(), "AWS said"), "Cluster not found.");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(Ecs, AccessDeniedNamesThePermission) {
  LoopbackServer server(testing::sequence({Reply::json(
      400,
      R"({"__type": "AccessDeniedException", "message": "User is not authorized to perform: ecs:DescribeServices"})")}));
  Harness h(server);
  auto svc = h.ecs->describe_services("bw", "svc");
  ASSERT_FALSE(svc);
  EXPECT_EQ(svc.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_NE(svc.error().suggestion.find("ecs:DescribeServices"), std::string::npos);
  EXPECT_NE(svc.error().message.find("not authorized"), std::string::npos);
}

TEST(Ecs, BadRepliesAreRemoteAndCountsAreClamped) {
  EXPECT_EQ(parse_describe_services("not json", "s").error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(parse_describe_services(R"({"services": {}})", "s").error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(parse_describe_services(R"({"services": [1]})", "s").error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(parse_describe_services(R"({"services": [{"deployments": 5}]})", "s").error().code,
            core::ErrorCode::kRemote);
  EXPECT_EQ(parse_describe_services(R"({})", "s").error().code, core::ErrorCode::kNotFound);

  auto odd = parse_describe_services(
      R"({"services": [{"serviceName": "s", "desiredCount": -3, "runningCount": 1e30, "pendingCount": "2",)"
      R"( "deployments": [{"createdAt": -5}], "events": [{"message": 7}]}]})",
      "s");
  ASSERT_TRUE(odd) << odd.error().to_text();
  EXPECT_EQ(odd->desired, 0);
  EXPECT_EQ(odd->running, std::numeric_limits<int>::max());
  EXPECT_EQ(odd->pending, 0);
  EXPECT_FALSE(odd->deployments[0].created_at);  // out of range: dropped
  EXPECT_EQ(odd->events[0].message, "");
}

}  // namespace
}  // namespace bw::aws

namespace bw::aws {
namespace {

// Found by fuzzing: a createdAt past 2262 overflowed the nanosecond clock (UB).
TEST(Ecs, TimesBeyondTheClockRangeAreDroppedNotOverflowed) {
  const std::string reply =
      R"({"services":[{"serviceArn":"arn:aws:ecs:us-east-1:1:service/c/svc","serviceName":"svc","status":"ACTIVE",)"
      R"("desiredCount":2,"runningCount":2,"pendingCount":0,"events":[{"createdAt":99999999999.5,"message":"m"},)"
      R"({"createdAt":1700000000,"message":"n"}]}],"failures":[]})";
  auto svc = parse_describe_services(reply, "svc");
  ASSERT_TRUE(svc) << svc.error().to_text();
  ASSERT_EQ(svc->events.size(), 2u);
  EXPECT_FALSE(svc->events[0].created_at);
  EXPECT_EQ(epoch_ms(svc->events[1].created_at), 1700000000000);
}

}  // namespace
}  // namespace bw::aws
