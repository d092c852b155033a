#include "deploy/task_failures.hpp"

#include <algorithm>

namespace bw::deploy {
namespace {

bool contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

//! The first container that explains the stop: one with a reason, else one that exited non-zero.
const aws::EcsContainerState* culprit(const aws::EcsTask& task) {
  for (const auto& c : task.containers) {
    if (!c.reason.empty()) return &c;
  }
  for (const auto& c : task.containers) {
    if (c.exit_code && *c.exit_code != 0) return &c;
  }
  return task.containers.empty() ? nullptr : &task.containers.front();
}

}  // namespace

std::optional<TaskFailure> classify_stopped_task(const aws::EcsTask& t) {
  const aws::EcsContainerState* c = culprit(t);
  const std::string container_reason = c != nullptr ? c->reason : std::string();
  auto any = [&](std::string_view part) {
    return contains(t.stopped_reason, part) || contains(container_reason, part);
  };

  if (any("CannotPullContainerError") || any("pull image manifest") || any("CannotPullImageManifestError")) {
    return TaskFailure{
        "image pull",
        "Check that --image-uri exists (deploy checks ECR images first), that the execution role "
        "may pull it, and that the subnets reach ECR (a NAT gateway, or public IPs)"};
  }
  if (any("OutOfMemory")) {
    return TaskFailure{"out of memory", "Give the tasks more memory (--memory, with a --cpu that allows it)"};
  }
  if (contains(t.stopped_reason, "ELB health checks")) {
    return TaskFailure{"ELB health checks",
                       "The load balancer found /health/ready failing: the service could not resolve its "
                       "configuration (see the log lines above; `benchling-webhook validate` shows the same "
                       "checks)"};
  }
  if (contains(t.stopped_reason, "container health checks")) {
    return TaskFailure{"container health checks",
                       "The container's health check (`benchling-webhook health`, /health/live) failed: see "
                       "the log lines above"};
  }
  if (t.stop_code == "TaskFailedToStart" || any("ResourceInitializationError")) {
    return TaskFailure{"task start",
                       "The task could not start (secrets, logs or network before the container ran): check "
                       "the subnets' egress and the execution role; ECS's reason is above"};
  }
  if (t.stop_code == "EssentialContainerExited" || contains(t.stopped_reason, "Essential container")) {
    if (c != nullptr && c->exit_code) {
      std::string fix = "The container exited by itself: its last log lines above say why";
      if (*c->exit_code == 2) {
        fix =
            "Exit code 2: the settings can never work (QuiltStackARN / BenchlingSecret malformed); its last "
            "log lines above say which";
      }
      return TaskFailure{"exit code " + std::to_string(*c->exit_code), fix};
    }
    return TaskFailure{"container exited", "The container stopped: its last log lines above say why"};
  }
  return std::nullopt;
}

std::vector<std::string> describe_stopped_task(const aws::EcsTask& t) {
  std::string head =
      "ECS task " + t.id + " stopped: " + (t.stopped_reason.empty() ? "(no reason given)" : t.stopped_reason);
  if (!t.stop_code.empty()) head.append(" (").append(t.stop_code).append(")");
  std::vector<std::string> out{std::move(head)};
  for (const auto& c : t.containers) {
    std::string line = "  container " + c.name + ": ";
    line.append(c.exit_code ? "exit code " + std::to_string(*c.exit_code) : std::string("never ran"));
    if (!c.reason.empty()) line.append(": ").append(c.reason);
    out.push_back(std::move(line));
  }
  return out;
}

StoppedTaskWatch::Step StoppedTaskWatch::observe(const std::vector<aws::EcsTask>& stopped,
                                                 std::string_view stack_name) {
  std::vector<const aws::EcsTask*> fresh;
  for (const auto& t : stopped) {
    if (seen_.count(t.arn) != 0) continue;
    if (t.stopped_at && *t.stopped_at < since_) continue;
    if (t.last_status != "STOPPED" && t.desired_status != "STOPPED") continue;
    fresh.push_back(&t);
  }
  std::sort(fresh.begin(), fresh.end(), [](const aws::EcsTask* a, const aws::EcsTask* b) {
    return a->stopped_at.value_or(core::SystemTime{}) < b->stopped_at.value_or(core::SystemTime{});
  });
  Step step;
  for (const auto* t : fresh) {
    seen_.insert(t->arn);
    auto failure = classify_stopped_task(*t);
    if (!failure) continue;
    step.new_failures.push_back(*t);
    if (++counts_[failure->kind] >= stop_after_ && !step.stop) {
      const auto lines = describe_stopped_task(*t);
      step.stop =
          core::make_error(core::ErrorCode::kRemote,
                           std::to_string(counts_[failure->kind]) + " tasks stopped with the same failure (" +
                               failure->kind + "): " + t->stopped_reason,
                           failure->fix +
                               ". Not waiting for ECS's circuit breaker: CloudFormation carries on and "
                               "will roll the stack back; follow it with `benchling-webhook status "
                               "--stack-name " +
                               std::string(stack_name) + "`, then deploy again with the fix")
              .with("Stack", std::string(stack_name))
              .with("Last task", lines.size() > 1 ? lines[0] + ";" + lines[1] : lines[0]);
    }
  }
  return step;
}

}  // namespace bw::deploy
