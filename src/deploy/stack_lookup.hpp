// deploy/stack_lookup.hpp: the service's own stack, found by name for the operator commands.
#pragma once

#include <string>
#include <string_view>

#include "aws/cloudformation.hpp"

namespace bw::deploy {

//! DescribeStacks by name; a missing stack is kNotFound "Stack <name> not found in <region>" with a
//! suggestion to deploy it or pass --stack-name.
core::Result<aws::Stack> find_service_stack(aws::CloudFormation& cfn, std::string_view stack_name);

//! The region the CloudFormation client calls.
std::string cfn_region(aws::CloudFormation& cfn);

//! The account in a stack's id (arn:aws:cloudformation:<region>:<account>:stack/...), "" if none.
std::string stack_account(const aws::Stack& stack);

}  // namespace bw::deploy
