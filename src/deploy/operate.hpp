// deploy/operate.hpp: the operator commands on a deployed stack: status, destroy, logs.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "deploy/console.hpp"

namespace bw::aws {
class CloudFormation;
class CloudWatch;
class Ecs;
class Elbv2;
class SecretsManager;
class Logs;
class Sqs;
}  // namespace bw::aws
namespace bw::http {
class Client;
}

namespace bw::deploy {

//! The stack's name in deploy/status/destroy/logs when --stack-name is not given.
inline constexpr const char* kDefaultStackName = "benchling-webhook";

struct StatusOptions {
  std::string stack_name = kDefaultStackName;
  //! Probe this URL's /health/ready instead of the stack's WebhookEndpoint output.
  std::string webhook_url;
  //! Optional readers (null: that part of the status is left out): the NLB's target health, the stack's
  //! alarms, and the Benchling secret for settings drift.
  aws::Elbv2* elb = nullptr;
  aws::CloudWatch* cloudwatch = nullptr;
  aws::SecretsManager* secrets = nullptr;
};

//! Prints the stack, the ECS rollout (running/desired tasks), the queues and the endpoint's readiness.
//! Returns true when everything is healthy (the caller exits 0, else 1). A missing stack is an error.
core::Result<bool> show_status(aws::CloudFormation& cfn, aws::Ecs& ecs, aws::Sqs& sqs, http::Client& http,
                               const StatusOptions& options, Console& console);

struct DestroyOptions {
  std::string stack_name = kDefaultStackName;
  bool yes = false;
  //! Delete even when the work queue or its dead-letter queue still hold jobs (they are lost).
  bool force = false;
  WatchOptions watch;
};

//! Deletes the stack after confirmation, following its events to the end. Refuses while the stack is
//! busy, and while its queues hold jobs unless `force`. A stack that does not exist is success.
core::Result<void> destroy_stack(aws::CloudFormation& cfn, aws::Sqs& sqs, const DestroyOptions& options,
                                 Console& console);

struct LogsOptions {
  std::string stack_name = kDefaultStackName;
  std::chrono::seconds since{600};
  std::string filter;  //!< a CloudWatch Logs filter pattern
  bool follow = false;
  std::chrono::milliseconds poll{2000};
  //! Stop following after this long (tests); unset: until interrupted.
  std::optional<std::chrono::milliseconds> follow_for;
};

//! "90s", "10m", "2h", "7d" → seconds; nullopt when malformed or over 30 days. Pure.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

//! Prints the service's log lines from the stack's log group ("<time> <task> <message>").
core::Result<void> show_logs(aws::CloudFormation& cfn, aws::Logs& logs, const LogsOptions& options,
                             Console& console);

}  // namespace bw::deploy
