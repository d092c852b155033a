// aws/json_reply.hpp: reading the JSON replies of the JSON-protocol APIs (Athena, SQS, ECS, ECR, KMS,
// CloudWatch Logs, Secrets Manager, API Gateway), said once for their clients. Pure.
#pragma once

#include <boost/json/object.hpp>

#include <string_view>

#include "aws/unreadable_reply.hpp"
#include "core/error.hpp"

namespace bw::aws {

//! Parses `json`, the reply to `of.action`, as a JSON object (depth-bounded, core::parse_json);
//! unreadable_reply saying why when it is larger than `of.max_bytes`, not JSON, or not an object. The reply
//! is never quoted: it may hold a secret.
core::Result<boost::json::object> load_json_reply(std::string_view json, const ReplyOf& of);

}  // namespace bw::aws
