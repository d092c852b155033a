// aws/cloudformation_resources.hpp: DescribeStackResources, what a stack's resources are called in AWS
// (deploy's queue pre-flight asks which queues a stack owns; its ECS watch finds the service while the
// stack is still being created, before any output exists).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct StackResource {
  std::string logical_id;
  std::string physical_id;  //!< a queue URL, a service ARN, a cluster name...; empty until created
  std::string type;         //!< "AWS::SQS::Queue"
  std::string status;       //!< "CREATE_COMPLETE", ...
};

//! Parses a DescribeStackResources reply. Pure; bounded (4 MiB, 1,000 resources, fields clipped); an
//! unreadable reply is kRemote, never quoted.
core::Result<std::vector<StackResource>> parse_describe_stack_resources(std::string_view xml);

//! DescribeStackResources of a stack (name or ARN; AWS returns up to 100, all a stack of ours has). A stack
//! that does not exist is kNotFound "Stack not found: <stack>"; other errors via to_core_error(), each with
//! Stack and Region details.
core::Result<std::vector<StackResource>> describe_stack_resources(AwsClient& client, std::string_view stack);

}  // namespace bw::aws
