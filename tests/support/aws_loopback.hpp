// support/aws_loopback.hpp: one AWS service client whose endpoint is a loopback server.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/aws_client.hpp"
#include "support/loopback_server.hpp"
#include "support/static_credentials.hpp"

namespace bw::testing {

//! `Service` (aws::Ecs, aws::Logs, ...) over an AwsClient with static credentials, no real sleeps between
//! retries, and `endpoint_var` (e.g. "AWS_ENDPOINT_URL_ECS") pointing at `server`. With `now`, signing
//! uses that fixed time, so signatures can be compared byte for byte.
template <class Service>
struct AwsLoopback {
  AwsLoopback(const LoopbackServer& server, const std::string& endpoint_var, std::string region,
              std::optional<std::string_view> now = std::nullopt)
      : client(http, creds, aws::map_env({{endpoint_var, server.url()}}), std::move(region), options(now)),
        service(client) {}

  static aws::AwsClientOptions options(std::optional<std::string_view> now) {
    aws::AwsClientOptions o;
    o.sleep = [](std::chrono::milliseconds, const core::StopToken&) { return true; };
    if (now) {
      const auto t = core::parse_iso8601(*now).value();
      o.now = [t] { return t; };
    }
    return o;
  }

  http::Client http;
  StaticCredentials creds;
  aws::AwsClient client;
  Service service;
};

//! The value of detail `key` of an error, or "<absent>".
inline std::string error_detail(const core::Error& e, std::string_view key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

}  // namespace bw::testing
