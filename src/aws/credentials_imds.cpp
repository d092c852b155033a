#include "aws/credentials_imds.hpp"

#include "aws/detail/credentials_json.hpp"
#include "aws/endpoints.hpp"
#include "core/ascii.hpp"
#include "core/encoding.hpp"

namespace bw::aws {

namespace {

constexpr const char* kCredentialsPath = "/latest/meta-data/iam/security-credentials/";

core::Error credentials_error(std::string message, std::string suggestion = {}) {
  return core::make_error(core::ErrorCode::kCredentials, std::move(message), std::move(suggestion));
}

}  // namespace

core::Result<Credentials> ImdsCredentialsProvider::get() {
  if (auto disabled = env_value(env_, "AWS_EC2_METADATA_DISABLED")) {
    if (core::ascii_lower(*disabled) == "true") return credentials_error("AWS_EC2_METADATA_DISABLED is true");
  }
  std::string base = "http://169.254.169.254";
  if (auto configured = env_value(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
    auto ep = parse_custom_endpoint(*configured, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (!ep) return ep.error();
    base = ep->base_url;
  }

  auto request = [&](std::string method, std::string path) {
    http::Request req;
    req.method = std::move(method);
    req.url = base + path;
    req.timeout = timeout_;
    req.connect_timeout = timeout_;
    req.max_response_bytes = 64 * 1024;
    return req;
  };
  auto unreachable = [&](const core::Error& cause) {
    core::Error e =
        credentials_error("The EC2 instance metadata service is not reachable: " + cause.message,
                          "Outside EC2 this is expected; set AWS_EC2_METADATA_DISABLED=true to skip it");
    e.code = cause.code;
    return e.with("endpoint", base);
  };

  http::Request token_req = request("PUT", "/latest/api/token");
  token_req.headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", "21600");
  auto token_resp = client_.send(token_req);
  if (!token_resp) return unreachable(token_resp.error());
  std::optional<std::string> token;
  if (token_resp->status == 200) {
    token = std::string(core::ascii_trim(token_resp->body));
    if (token->empty() || token->size() > 4096 || token->find_first_of("\r\n") != std::string::npos) {
      return credentials_error("The EC2 instance metadata service returned an unusable token");
    }
  } else if (token_resp->status != 403 && token_resp->status != 404 && token_resp->status != 405) {
    return credentials_error("The EC2 instance metadata service answered HTTP " +
                             std::to_string(token_resp->status) + " to the token request")
        .with("endpoint", base);
  }

  auto get = [&](const std::string& path) {
    http::Request req = request("GET", path);
    if (token) req.headers.emplace_back("x-aws-ec2-metadata-token", *token);
    return client_.send(req);
  };

  auto role_resp = get(kCredentialsPath);
  if (!role_resp) return unreachable(role_resp.error());
  if (role_resp->status == 404) {
    return credentials_error("This EC2 instance has no IAM instance profile",
                             "Attach an instance profile (IAM role) to the instance");
  }
  if (role_resp->status != 200) {
    return credentials_error("The EC2 instance metadata service answered HTTP " +
                             std::to_string(role_resp->status) + " when asked for the role")
        .with("endpoint", base);
  }
  const std::string body = role_resp->body;
  const std::string role(core::ascii_trim(std::string_view(body).substr(0, body.find('\n'))));
  if (role.empty() || role.size() > 128 || role.find('/') != std::string::npos) {
    return credentials_error("The EC2 instance metadata service returned no usable role name");
  }

  auto creds_resp = get(kCredentialsPath + core::uri_encode(role));
  if (!creds_resp) return unreachable(creds_resp.error());
  if (creds_resp->status != 200) {
    return credentials_error("The EC2 instance metadata service answered HTTP " +
                             std::to_string(creds_resp->status) + " for role " + role)
        .with("endpoint", base);
  }
  return detail::parse_credentials_json(creds_resp->body, "imds");
}

}  // namespace bw::aws
