// deploy/task_failures.hpp: why the service's tasks stop while deploy waits, and when to stop waiting
// (pure: the task watch polls ECS and prints, this decides).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "aws/ecs_tasks.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::deploy {

//! A stopped task that failed, judged from ECS's stop code, stop reason and containers.
struct TaskFailure {
  //! What makes two failures "the same": "image pull", "ELB health checks", "container health checks",
  //! "exit code 1", "out of memory", "task start" (secrets, logs or network before the container ran).
  std::string kind;
  std::string fix;  //!< what to do, one sentence or two
};

//! nullopt for a task stopped on purpose (a deployment replacing it, scaling in, a person); else the
//! failure: stop code TaskFailedToStart or EssentialContainerExited, or a health-check stop. Pure.
std::optional<TaskFailure> classify_stopped_task(const aws::EcsTask& task);

//! The lines that describe a stopped task: "ECS task <id> stopped: <reason> (<stop code>)", then one per
//! container "  container <name>: exit code <n>: <reason>" (or "never ran"). Pure.
std::vector<std::string> describe_stopped_task(const aws::EcsTask& task);

//! Follows the stopped tasks ECS lists during one deploy. Each observe() returns the failed tasks not seen
//! before (to print with their logs) and, once `stop_after` of them failed the same way, the error to stop
//! waiting with: the stack would only reach the same end after ECS's circuit breaker, many minutes later.
class StoppedTaskWatch {
 public:
  //! Tasks that stopped before `since` (an earlier deploy's) are ignored.
  explicit StoppedTaskWatch(core::SystemTime since, int stop_after = 3)
      : since_(since), stop_after_(stop_after) {}

  struct Step {
    std::vector<aws::EcsTask> new_failures;  //!< oldest first
    std::optional<core::Error> stop;
  };
  Step observe(const std::vector<aws::EcsTask>& stopped, std::string_view stack_name);

 private:
  core::SystemTime since_;
  int stop_after_;
  std::set<std::string> seen_;
  std::map<std::string, int> counts_;  //!< failures per kind
};

}  // namespace bw::deploy
