#include "deploy/task_failures.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

using namespace std::chrono_literals;

const core::SystemTime kStart = core::SystemTime(std::chrono::seconds(1'800'000'000));

aws::EcsTask stopped(std::string id, std::string code, std::string reason, std::optional<int> exit_code = {},
                     std::string container_reason = "", core::SystemTime at = kStart + 30s) {
  aws::EcsTask t;
  t.arn = "arn:aws:ecs:us-east-1:123456789012:task/c/" + id;
  t.id = id;
  t.last_status = "STOPPED";
  t.desired_status = "STOPPED";
  t.stop_code = std::move(code);
  t.stopped_reason = std::move(reason);
  t.stopped_at = at;
  t.containers.push_back({"benchling-webhook", "STOPPED", exit_code, std::move(container_reason)});
  return t;
}

aws::EcsTask pull_failure(std::string id, core::SystemTime at = kStart + 30s) {
  return stopped(
      std::move(id), "TaskFailedToStart",
      "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve "
      "ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/bw:9: not found",
      std::nullopt, "", at);
}

TEST(TaskFailures, EachKindOfFailureIsNamedWithItsFix) {
  auto pull = classify_stopped_task(pull_failure("t1"));
  ASSERT_TRUE(pull);
  EXPECT_EQ(pull->kind, "image pull");
  EXPECT_NE(pull->fix.find("--image-uri"), std::string::npos);

  auto exit1 = classify_stopped_task(
      stopped("t2", "EssentialContainerExited", "Essential container in task exited", 1));
  ASSERT_TRUE(exit1);
  EXPECT_EQ(exit1->kind, "exit code 1");
  EXPECT_NE(exit1->fix.find("log lines"), std::string::npos);

  auto exit2 = classify_stopped_task(
      stopped("t3", "EssentialContainerExited", "Essential container in task exited", 2));
  ASSERT_TRUE(exit2);
  EXPECT_NE(exit2->fix.find("QuiltStackARN"), std::string::npos);

  auto elb = classify_stopped_task(
      stopped("t4", "ServiceSchedulerInitiated",
              "Task failed ELB health checks in (target-group arn:aws:...:tg/bw/1)", 137));
  ASSERT_TRUE(elb);
  EXPECT_EQ(elb->kind, "ELB health checks");

  auto health = classify_stopped_task(
      stopped("t5", "ServiceSchedulerInitiated", "Task failed container health checks", 143));
  ASSERT_TRUE(health);
  EXPECT_EQ(health->kind, "container health checks");

  auto oom =
      classify_stopped_task(stopped("t6", "EssentialContainerExited", "Essential container in task exited",
                                    137, "OutOfMemoryError: Container killed due to memory usage"));
  ASSERT_TRUE(oom);
  EXPECT_EQ(oom->kind, "out of memory");
  EXPECT_NE(oom->fix.find("--memory"), std::string::npos);

  auto init = classify_stopped_task(stopped(
      "t7", "TaskFailedToStart", "ResourceInitializationError: unable to pull secrets or registry auth"));
  ASSERT_TRUE(init);
  EXPECT_EQ(init->kind, "task start");
}

TEST(TaskFailures, TasksStoppedOnPurposeAreNotFailures) {
  EXPECT_FALSE(classify_stopped_task(stopped("t1", "ServiceSchedulerInitiated",
                                             "Scaling activity initiated by (deployment ecs-svc/123)", 0)));
  EXPECT_FALSE(classify_stopped_task(stopped("t2", "UserInitiated", "Task stopped by user", 0)));
}

TEST(TaskFailures, AStoppedTaskIsDescribedWithItsContainers) {
  auto lines = describe_stopped_task(
      stopped("abc123", "EssentialContainerExited", "Essential container in task exited", 1, "boom"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "ECS task abc123 stopped: Essential container in task exited (EssentialContainerExited)");
  EXPECT_EQ(lines[1], "  container benchling-webhook: exit code 1: boom");
  auto never = describe_stopped_task(pull_failure("t9"));
  EXPECT_EQ(never[1], "  container benchling-webhook: never ran");
}

TEST(TaskFailures, TheWatchPrintsEachFailureOnceAndStopsAtTheThirdOfOneKind) {
  StoppedTaskWatch watch(kStart, 3);
  auto step = watch.observe({pull_failure("a", kStart + 10s)}, "bw");
  ASSERT_EQ(step.new_failures.size(), 1u);
  EXPECT_FALSE(step.stop);

  // The same task again, an earlier deploy's task, a task replaced on purpose and another kind of failure:
  // only the last is new, and nothing stops.
  step = watch.observe({pull_failure("a", kStart + 10s), pull_failure("old", kStart - 60s),
                        stopped("scaled", "ServiceSchedulerInitiated", "Scaling activity initiated by x", 0),
                        stopped("e1", "EssentialContainerExited", "Essential container in task exited", 1)},
                       "bw");
  ASSERT_EQ(step.new_failures.size(), 1u);
  EXPECT_EQ(step.new_failures[0].id, "e1");
  EXPECT_FALSE(step.stop);

  step = watch.observe({pull_failure("c", kStart + 40s), pull_failure("b", kStart + 20s)}, "bw");
  ASSERT_EQ(step.new_failures.size(), 2u);
  EXPECT_EQ(step.new_failures[0].id, "b");  // oldest first
  ASSERT_TRUE(step.stop);
  EXPECT_EQ(step.stop->message.substr(0, 55), "3 tasks stopped with the same failure (image pull): Can");
  EXPECT_NE(step.stop->suggestion.find("--image-uri"), std::string::npos);
  EXPECT_NE(step.stop->suggestion.find("circuit breaker"), std::string::npos);
  EXPECT_NE(step.stop->suggestion.find("benchling-webhook status --stack-name bw"), std::string::npos);
}

TEST(TaskFailures, DifferentFailuresDoNotAddUp) {
  StoppedTaskWatch watch(kStart, 3);
  auto step =
      watch.observe({stopped("1", "EssentialContainerExited", "Essential container in task exited", 1),
                     stopped("2", "EssentialContainerExited", "Essential container in task exited", 2),
                     pull_failure("3"), pull_failure("4")},
                    "bw");
  EXPECT_EQ(step.new_failures.size(), 4u);
  EXPECT_FALSE(step.stop);
}

}  // namespace
}  // namespace bw::deploy
