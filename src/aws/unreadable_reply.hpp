// aws/unreadable_reply.hpp: the error for an AWS reply that cannot be read, said once for every client.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::aws {

//! kRemote "<service> <action> reply is unreadable: <why>" (`service` as people name it, "CloudWatch Logs"),
//! suggesting a retry, then the endpoint variables to check (AWS_ENDPOINT_URL and the one of `service_id`,
//! the endpoint id the client signs for, e.g. "logs" → AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).
core::Error unreadable_reply(std::string_view service, std::string_view service_id, std::string_view action,
                             std::string_view why);

//! Whose reply it is, for its errors (unreadable_reply), and how large it may be.
struct ReplyOf {
  std::string_view service;     //!< as people name it: "CloudFormation"
  std::string_view service_id;  //!< the endpoint id: "cloudformation"
  std::string_view action;      //!< "DescribeStacks"
  std::size_t max_bytes;
};

//! unreadable_reply for the reply `of` names.
core::Error unreadable_reply(const ReplyOf& of, std::string_view why);

//! The `why` of a reply over `max_bytes`: "larger than 4 MiB", "larger than 64 KiB", "larger than 10 bytes".
std::string larger_than(std::size_t max_bytes);

}  // namespace bw::aws
