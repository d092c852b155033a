// deploy/stack_lookup.hpp: the service's own stack, found by name for the operator commands.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/cloudformation.hpp"

namespace bw::aws {
class Sqs;
}

namespace bw::deploy {

//! DescribeStacks by name; a missing stack is kNotFound "Stack <name> not found in <region>" with a
//! suggestion to deploy it or pass --stack-name.
core::Result<aws::Stack> find_service_stack(aws::CloudFormation& cfn, std::string_view stack_name);

//! The region the CloudFormation client calls.
std::string cfn_region(aws::CloudFormation& cfn);

//! The messages in one of the stack's queues (SQS's approximate counts).
struct QueueDepth {
  std::string name;
  long waiting = 0;    //!< ApproximateNumberOfMessages
  long in_flight = 0;  //!< ApproximateNumberOfMessagesNotVisible: being worked on
  long delayed = 0;    //!< ApproximateNumberOfMessagesDelayed
  long total() const { return waiting + in_flight + delayed; }
};

//! The depth of the queue named by the stack's output `output` (a queue URL), reached through the endpoint
//! in use (CloudFormation reports the AWS host even against a test endpoint); nullopt when the output is
//! missing or the queue cannot be read.
std::optional<QueueDepth> queue_depth(aws::Sqs& sqs, const aws::Stack& stack, std::string_view output);

//! The account in a stack's id (arn:aws:cloudformation:<region>:<account>:stack/...), "" if none.
std::string stack_account(const aws::Stack& stack);

}  // namespace bw::deploy
