// deploy/queue_check.hpp: whether the service's queue names are free for this stack (pure: the pre-flight
// asks SQS and CloudFormation, this decides).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace bw::deploy {

//! One of the queues the template names (config/queue_names.hpp), as SQS knows it.
struct QueueFound {
  std::string name;
  std::string url;  //!< empty: no such queue
};

//! The queues that exist but are not among `owned` (the queue names of the stack's AWS::SQS::Queue
//! resources; empty when the stack does not exist yet). CloudFormation cannot create a queue whose name is
//! taken, and after a long wait would roll the whole stack back; so each one is an error naming it, who
//! may have left it, and the two ways out: destroy the stack that owns it, or drain and delete it with the
//! exact `aws sqs delete-queue` command. kInvalidConfig, one detail per queue. Pure.
core::Result<void> check_queue_names(const std::vector<QueueFound>& queues,
                                     const std::vector<std::string>& owned, std::string_view stack_name,
                                     std::string_view region);

}  // namespace bw::deploy
