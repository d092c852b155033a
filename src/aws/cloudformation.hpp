// aws/cloudformation.hpp: CloudFormation DescribeStacks (query protocol, XML reply).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct StackOutput {
  std::string key;
  std::string value;
};

struct Stack {
  std::string name;
  std::string id;  //!< the stack ARN
  std::string status;
  std::vector<StackOutput> outputs;  //!< in the order AWS listed them

  //! The value of output `key`, or nullopt.
  std::optional<std::string> output(std::string_view key) const;
};

//! Parses a DescribeStacks reply body (the first stack). No stack in it: kNotFound
//! "Stack not found: <stack_name>"; unreadable XML: kRemote. Pure.
core::Result<Stack> parse_describe_stacks(std::string_view xml, std::string_view stack_name);

class CloudFormation {
 public:
  explicit CloudFormation(AwsClient& client) : client_(client) {}

  //! DescribeStacks (Version 2010-05-15) for a name or a full stack ARN. Errors:
  //! - stack missing (ValidationError "... does not exist"): kNotFound "Stack not found: <name>";
  //! - other ValidationError: kInvalidArgument "Invalid stack name: <name>";
  //! - anything else: "Failed to describe stack: <AWS message>" with the kind from to_core_error().
  core::Result<Stack> describe_stack(std::string_view stack_name_or_arn);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
