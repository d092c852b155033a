// aws/unreadable_reply.hpp: the error for an AWS reply that cannot be read, said once for every client.
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace bw::aws {

//! kRemote "<service> <action> reply is unreadable: <why>" (`service` as people name it, "CloudWatch Logs"),
//! suggesting a retry, then the endpoint variables to check (AWS_ENDPOINT_URL and the one of `service_id`,
//! the endpoint id the client signs for, e.g. "logs" → AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).
core::Error unreadable_reply(std::string_view service, std::string_view service_id, std::string_view action,
                             std::string_view why);

}  // namespace bw::aws
