// config/stack_arn.hpp
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::config {

//! The Quilt CloudFormation stack named by the QuiltStackARN setting.
struct StackArn {
  std::string arn;      //!< the setting as given
  std::string region;   //!< every AWS client of the service uses this region
  std::string account;  //!< 12 digits
  std::string name;     //!< DescribeStacks(StackName=name)
  std::string id;       //!< the stack's unique id (usually a UUID)
};

//! Longest ARN accepted; real ones are under 200 characters.
inline constexpr std::size_t kMaxStackArnChars = 2048;

//! Parses per runtime-spec §8.2: ^arn:aws:cloudformation:([a-z0-9-]+):(\d{12}):stack/([^/]+)/(.+)$.
//! Only the `aws` partition is accepted, as in the reference; aws-cn / aws-us-gov would also need
//! their own endpoint suffixes, which the service does not support. Stricter than Python's `re` in two
//! ways: \d is ASCII only, and control characters (a trailing newline that `$` would have let
//! through) are rejected.
//! Error: kInvalidArgument "Invalid CloudFormation stack ARN format" with the expected shape as the
//! suggestion and ("Received", arn) as detail; it never heals.
core::Result<StackArn> parse_stack_arn(std::string_view arn);

}  // namespace bw::config
