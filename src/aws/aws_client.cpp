#include "aws/aws_client.hpp"

#include "aws/sigv4.hpp"
#include "core/encoding.hpp"

namespace bw::aws {

namespace {

bool is_absolute(std::string_view url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

AwsClient::AwsClient(http::Client& http, CredentialsProvider& credentials, EnvFn env, std::string region,
                     AwsClientOptions options)
    : http_(http),
      credentials_(credentials),
      env_(std::move(env)),
      region_(std::move(region)),
      options_(std::move(options)),
      retry_(options_.retry, options_.stop, options_.sleep) {
  if (!options_.now) options_.now = core::system_now;
}

core::Result<Endpoint> AwsClient::endpoint(std::string_view service_id) const {
  return resolve_endpoint(service_id, region_, env_);
}

core::Result<AwsReply> AwsClient::call(std::string_view service_id, std::string_view signing_name,
                                       http::Request req, std::string_view action, bool unsigned_payload) {
  req.stop = options_.stop;  // a stop ends a transfer in flight too, not only the waits between attempts
  if (!is_absolute(req.url)) {
    auto ep = endpoint(service_id);
    if (!ep) return ep.error();
    // Built by append (not insert/assign of literals): GCC 12 -O3 reports a false -Wrestrict on those.
    std::string url = ep->base_url;
    if (req.url.empty() || req.url.front() != '/') url.push_back('/');
    url.append(req.url);
    req.url = std::move(url);
  }

  // A streamed body cannot be taken back: once bytes reached the caller's sink, a retry would deliver
  // them twice, so a failure after that point is returned instead of retried.
  std::size_t streamed = 0;
  if (req.body_sink) {
    req.body_sink = [inner = std::move(req.body_sink), &streamed](std::string_view chunk) {
      streamed += chunk.size();
      return inner(chunk);
    };
  }

  auto failed = [&](core::Error e) {
    return e.with("service", std::string(service_id)).with("action", std::string(action));
  };
  using Step = core::Attempt<AwsReply>;
  return retry_.run<AwsReply>(
      "AWS call", {{"service", std::string(service_id)}, {"action", std::string(action)}},
      [&](unsigned, bool last_try) -> Step {
        const bool last = last_try || streamed > 0;
        auto creds = credentials_.get();
        if (!creds) return failed(creds.error());
        // Signed in place (sign_request replaces the previous attempt's signature): a copy would double the
        // memory of a multipart upload's part.
        sign_request(req, *creds, SigningScope{region_, std::string(signing_name), options_.now()},
                     unsigned_payload);
        auto resp = http_.send(req);
        if (!resp) {
          if (resp.error().code != core::ErrorCode::kTransport || last) return failed(resp.error());
          return core::TryAgain{resp.error().message};
        }
        if (resp->status < 300) return AwsReply{std::move(*resp), std::nullopt};
        AwsError err = parse_aws_error(service_id, *resp);
        if (!is_retryable(err) || last) return AwsReply{std::move(*resp), std::move(err)};
        return core::TryAgain{err.code + " (HTTP " + std::to_string(err.http_status) + ")"};
      });
}

core::Result<http::Response> AwsClient::send(std::string_view service_id, std::string_view signing_name,
                                             http::Request req, std::string_view action,
                                             bool unsigned_payload) {
  auto reply = call(service_id, signing_name, std::move(req), action, unsigned_payload);
  if (!reply) return reply.error();
  if (reply->error) return to_core_error(*reply->error, action);
  return std::move(reply->response);
}

http::Request query_protocol(std::string_view action, std::string_view version,
                             const std::vector<std::pair<std::string, std::string>>& params) {
  // Initialized, not assigned over the "GET" default: that trips GCC 12's false -Wrestrict at -O3.
  http::Request req{.method = "POST", .url = "/", .headers = {}, .body = {}};
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  // append() rather than chains of operator+: GCC 12 -O3 reports a false -Wrestrict on the latter.
  req.body.append("Action=").append(core::form_encode(action));
  req.body.append("&Version=").append(core::form_encode(version));
  for (const auto& [key, value] : params) {
    req.body.append("&").append(core::form_encode(key)).append("=").append(core::form_encode(value));
  }
  return req;
}

http::Request json_protocol(std::string_view target, std::string body, std::string_view json_version) {
  http::Request req{.method = "POST", .url = "/", .headers = {}, .body = {}};
  req.headers.emplace_back("X-Amz-Target", std::string(target));
  req.headers.emplace_back("Content-Type", "application/x-amz-json-" + std::string(json_version));
  req.body = std::move(body);
  return req;
}

}  // namespace bw::aws
