// aws/ecs.hpp: ECS DescribeServices (JSON 1.1 protocol), for deploy's status view.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace bw::aws {

struct EcsDeployment {
  std::string id;
  std::string status;                //!< PRIMARY | ACTIVE | INACTIVE
  std::string rollout_state;         //!< COMPLETED | FAILED | IN_PROGRESS; may be empty
  std::string rollout_state_reason;  //!< may be empty
  int desired = 0;
  int running = 0;
  int pending = 0;
  int failed_tasks = 0;
  std::string task_definition;  //!< ARN
  std::optional<core::SystemTime> created_at;
};

struct EcsEvent {
  std::optional<core::SystemTime> created_at;
  std::string message;
};

struct EcsService {
  std::string arn;
  std::string name;
  std::string status;  //!< ACTIVE | DRAINING | INACTIVE
  int desired = 0;
  int running = 0;
  int pending = 0;
  std::string task_definition;
  std::vector<EcsDeployment> deployments;  //!< as ECS lists them (PRIMARY first)
  std::vector<EcsEvent> events;            //!< newest first, at most kEcsMaxEvents
};

//! How many service events are kept (ECS sends up to 100, newest first).
inline constexpr std::size_t kEcsMaxEvents = 20;

//! Parses a DescribeServices reply for one service. A failures[] entry (reason MISSING) or no service
//! at all: kNotFound "ECS service not found: <service>". Pure; bounded (1 MiB, 100 deployments, each
//! string clipped); an unreadable reply is kRemote, never quoted.
core::Result<EcsService> parse_describe_services(std::string_view json, std::string_view service);

class Ecs {
 public:
  explicit Ecs(AwsClient& client) : client_(client) {}

  //! DescribeServices (X-Amz-Target AmazonEC2ContainerServiceV20141113.DescribeServices) of one service
  //! in `cluster` (name or ARN; empty: the default cluster). Errors: service missing -> kNotFound "ECS
  //! service not found: <service>"; ClusterNotFoundException -> kNotFound "ECS cluster not found:
  //! <cluster>"; else to_core_error() with AWS's message. Each carries Cluster, Service, Region details.
  core::Result<EcsService> describe_services(std::string_view cluster, std::string_view service_name_or_arn);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
