// aws/ecs_tasks.hpp: ECS ListTasks and DescribeTasks (JSON 1.1 protocol), so deploy can show why a
// service's tasks stop while its stack settles.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::aws {

struct EcsContainerState {
  std::string name;
  std::string last_status;
  std::optional<int> exit_code;  //!< absent when the container never ran (e.g. its image was not pulled)
  std::string reason;            //!< "CannotPullContainerError: ...", "OutOfMemoryError: ..."; may be empty
};

struct EcsTask {
  std::string arn;
  std::string id;  //!< the ARN's last segment: what the awslogs stream name ends with
  std::string last_status;
  std::string desired_status;
  std::string stop_code;       //!< TaskFailedToStart | EssentialContainerExited | UserInitiated | ...
  std::string stopped_reason;  //!< "Essential container in task exited", "Task failed ELB health checks..."
  std::string task_definition;
  std::string group;  //!< "service:<name>" for a service's tasks
  std::optional<core::SystemTime> created_at;
  std::optional<core::SystemTime> stopped_at;
  std::vector<EcsContainerState> containers;
};

//! Parses a ListTasks reply: the task ARNs (at most 100). Pure; unreadable replies are kRemote.
core::Result<std::vector<std::string>> parse_list_tasks(std::string_view json);
//! Parses a DescribeTasks reply (failures[] ignored: a task gone since ListTasks). Pure; bounded (4 MiB,
//! 100 tasks, 20 containers each, fields clipped); unreadable replies are kRemote, never quoted.
core::Result<std::vector<EcsTask>> parse_describe_tasks(std::string_view json);

class EcsTasks {
 public:
  explicit EcsTasks(AwsClient& client) : client_(client) {}

  //! ListTasks of a service (name or ARN) in a cluster with desiredStatus (RUNNING | STOPPED); the first
  //! page, up to 100 ARNs (ECS keeps stopped tasks for about an hour).
  core::Result<std::vector<std::string>> list_tasks(std::string_view cluster, std::string_view service,
                                                    std::string_view desired_status);
  //! DescribeTasks of up to 100 task ARNs; none given: none returned without a call.
  core::Result<std::vector<EcsTask>> describe_tasks(std::string_view cluster,
                                                    const std::vector<std::string>& arns);

 private:
  core::Result<std::string> call(std::string_view action, std::string body, std::string_view cluster);
  AwsClient& client_;
};

}  // namespace bw::aws
