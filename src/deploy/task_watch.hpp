// deploy/task_watch.hpp: while deploy waits for the stack, ECS's own reasons for the tasks it stops.
#pragma once

#include <iosfwd>
#include <string>

#include "core/error.hpp"
#include "core/time.hpp"
#include "deploy/task_failures.hpp"

namespace bw::aws {
class AwsClient;
}

namespace bw::deploy {

//! Thin adapter over ECS (ListTasks desiredStatus=STOPPED, DescribeTasks) and CloudWatch Logs: each poll()
//! prints every newly failed task of the stack's service with StoppedTaskWatch's lines and the task's last
//! log lines (stream benchling-webhook/<container>/<task id>, the awslogs rule of the template), and returns
//! StoppedTaskWatch's error once enough tasks failed the same way. The cluster, service and log group are
//! read from the stack's resources as soon as CloudFormation has made them. A failed look at AWS is not an
//! error: the stack watch goes on and the next poll tries again (an ECS error is said once).
class TaskWatch {
 public:
  TaskWatch(aws::AwsClient& client, std::string stack_name, core::SystemTime since, std::ostream& out,
            int stop_after = 3);
  core::Result<void> poll();

 private:
  bool locate();
  void print_last_log_lines(const aws::EcsTask& task);
  //! Says once that ECS cannot be read (e.g. ecs:ListTasks denied); the watch goes on without it.
  core::Result<void> blind(const core::Error& e);

  aws::AwsClient& client_;
  std::string stack_name_;
  core::SystemTime since_;
  std::ostream& out_;
  StoppedTaskWatch decide_;
  std::string cluster_, service_, log_group_;
  bool warned_ = false;
};

//! How many of a failed task's last log lines are shown.
inline constexpr std::size_t kTaskLogLines = 10;

}  // namespace bw::deploy
