// aws/aws_client.hpp: one signed AWS call with endpoint resolution, error mapping and retries.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_error.hpp"
#include "aws/credentials_provider.hpp"
#include "aws/endpoints.hpp"
#include "aws/env.hpp"
#include "core/retry.hpp"
#include "core/time.hpp"
#include "http/client.hpp"

namespace bw::aws {

struct AwsClientOptions {
  core::RetryPolicy retry{
      .max_attempts = 4, .base = std::chrono::milliseconds(100), .cap = std::chrono::milliseconds(5000)};
  //! Where retries sleep (tests record instead); `stop` ends such a sleep at once, with kCancelled.
  core::RetrySleepFn sleep = core::sleep_for;
  core::StopToken stop = {};
  core::NowFn now = core::system_now;
};

//! A reply that AWS sent (any status), or why none came (endpoint, credentials, transport).
struct AwsReply {
  http::Response response;
  //! Set when response.status >= 300: the parsed error reply.
  std::optional<AwsError> error;
};

//! Per-try timeout of the calls that resolve the configuration (DescribeStacks, Secrets Manager): they
//! answer in milliseconds, and a hung endpoint must not keep /health/ready at "starting" for minutes
//! (the AwsClient multiplies it by its tries).
inline constexpr std::chrono::milliseconds kResolveCallTimeout{10000};

//! Calls AWS for one region. Thread-safe (core::Retry guards its random generator).
class AwsClient {
 public:
  AwsClient(http::Client& http, CredentialsProvider& credentials, EnvFn env, std::string region,
            AwsClientOptions options = {});

  const std::string& region() const { return region_; }
  //! The endpoint of `service_id` ("sqs", "s3", "logs") for this client's region.
  core::Result<Endpoint> endpoint(std::string_view service_id) const;

  //! Sends `req` to `service_id`. req.url is either a path ("/", "/bucket/key?x=1", empty for "/") joined to
  //! the resolved endpoint, or an absolute URL used as is (an S3 object URL, an SQS queue URL). Credentials
  //! are fetched on every attempt so that a refresh takes effect, the request is signed for
  //! (region, signing_name), and throttling, 5xx, transient codes and transport errors are retried with
  //! full-jitter exponential backoff, up to max_attempts (core::Retry; options.stop ends the wait with
  //! kCancelled). 4xx client errors are never retried.
  //! An error reply is returned as an AwsReply with `error` set (so callers can word their own messages);
  //! only failures without a reply are errors here.
  core::Result<AwsReply> call(std::string_view service_id, std::string_view signing_name, http::Request req,
                              std::string_view action, bool unsigned_payload = false);

  //! call(), with an error reply turned into core::Error by to_core_error().
  core::Result<http::Response> send(std::string_view service_id, std::string_view signing_name,
                                    http::Request req, std::string_view action,
                                    bool unsigned_payload = false);

 private:
  http::Client& http_;
  CredentialsProvider& credentials_;
  EnvFn env_;
  std::string region_;
  AwsClientOptions options_;
  core::Retry retry_;
};

//! A query-protocol request (CloudFormation, STS, SQS-query): POST "/", form body
//! "Action=<action>&Version=<version>&<k>=<v>...", each value form-encoded, with
//! Content-Type application/x-www-form-urlencoded; charset=utf-8.
http::Request query_protocol(std::string_view action, std::string_view version,
                             const std::vector<std::pair<std::string, std::string>>& params = {});

//! A JSON-protocol request (Secrets Manager 1.1, SQS 1.0, ...): POST "/", X-Amz-Target: <target>,
//! Content-Type application/x-amz-json-<json_version>, body as given.
http::Request json_protocol(std::string_view target, std::string body, std::string_view json_version = "1.1");

}  // namespace bw::aws
