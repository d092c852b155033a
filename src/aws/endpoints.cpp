#include "aws/endpoints.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <utility>

#include "core/ascii.hpp"
#include "core/encoding.hpp"

namespace bw::aws {

namespace {

// Hostname prefixes whose SDK service id differs from the prefix (botocore's serviceId, uppercased,
// spaces to '_'). Everything else maps to the uppercased prefix.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kServiceIds{{
    {"secretsmanager", "SECRETS_MANAGER"},
    {"logs", "CLOUDWATCH_LOGS"},
    {"monitoring", "CLOUDWATCH"},
    {"events", "EVENTBRIDGE"},
    {"elasticloadbalancing", "ELASTIC_LOAD_BALANCING_V2"},
    {"apigateway", "API_GATEWAY"},
    {"execute-api", "API_GATEWAY"},
    {"ssm", "SSM"},
    {"cognito-idp", "COGNITO_IDENTITY_PROVIDER"},
    {"states", "SFN"},
    {"api.ecr", "ECR"},  // ECR's API host is api.ecr.<region>.amazonaws.com
}};

bool is_region(std::string_view region) {
  if (region.empty() || region.size() > 32) return false;
  return std::all_of(region.begin(), region.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool is_dns_bucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  if (bucket.front() == '-' || bucket.back() == '-') return false;
  return std::all_of(bucket.begin(), bucket.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

core::Error bad_endpoint(std::string_view variable, std::string_view why) {
  return core::make_error(core::ErrorCode::kInvalidArgument,
                          std::string(variable) + " is not a valid endpoint URL: " + std::string(why),
                          "Set " + std::string(variable) +
                              " to an http:// or https:// URL such as http://127.0.0.1:5000, or unset it to "
                              "use AWS");
}

}  // namespace

std::string endpoint_env_suffix(std::string_view service_id) {
  for (const auto& [id, suffix] : kServiceIds) {
    if (id == service_id) return std::string(suffix);
  }
  std::string out;
  out.reserve(service_id.size());
  for (char c : service_id) {
    if (c == ' ' || c == '-') {
      out += '_';
    } else {
      out += char(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

std::string endpoint_env_name(std::string_view service_id) {
  return "AWS_ENDPOINT_URL_" + endpoint_env_suffix(service_id);
}

core::Result<Endpoint> parse_custom_endpoint(std::string_view url, std::string_view variable) {
  if (url.size() > 2048) return bad_endpoint(variable, "longer than 2048 characters");
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return bad_endpoint(variable, "cannot parse '" + std::string(url) + "'");
  const auto& u = *parsed;
  const std::string scheme(u.scheme());
  const std::string lower_scheme = core::ascii_lower(scheme);
  if (lower_scheme != "http" && lower_scheme != "https") {
    return bad_endpoint(variable, "scheme must be http or https, got '" + scheme + "'");
  }
  if (!u.has_authority() || u.encoded_host().empty())
    return bad_endpoint(variable, "no host in '" + std::string(url) + "'");
  if (u.has_userinfo()) return bad_endpoint(variable, "user info is not allowed");
  if (u.has_query() || u.has_fragment()) return bad_endpoint(variable, "query and fragment are not allowed");
  if (u.has_port() && (u.port().empty() || u.port_number() == 0))
    return bad_endpoint(variable, "invalid port");

  Endpoint ep;
  ep.custom = true;
  ep.host_header = std::string(u.encoded_host_and_port());
  std::string path(u.encoded_path());
  while (!path.empty() && path.back() == '/') path.pop_back();
  ep.base_url = lower_scheme + "://" + ep.host_header + path;
  return ep;
}

core::Result<Endpoint> resolve_endpoint(std::string_view service_id, std::string_view region,
                                        const EnvFn& env) {
  const std::string variable = endpoint_env_name(service_id);
  if (auto url = env_value(env, variable)) return parse_custom_endpoint(*url, variable);
  if (auto url = env_value(env, "AWS_ENDPOINT_URL")) return parse_custom_endpoint(*url, "AWS_ENDPOINT_URL");

  if (!is_region(region)) {
    return core::make_error(core::ErrorCode::kInvalidArgument,
                            "Invalid AWS region: '" + std::string(region) + "'",
                            "Use a region such as us-east-1 (it is taken from the stack ARN)");
  }
  const bool china = region.substr(0, 3) == "cn-";
  Endpoint ep;
  ep.host_header =
      std::string(service_id) + "." + std::string(region) + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
  ep.base_url = "https://" + ep.host_header;
  return ep;
}

std::string s3_object_url(const Endpoint& s3, std::string_view bucket, std::string_view key) {
  const std::string encoded_key = core::uri_encode(key, /*keep_slash=*/true);
  if (!s3.custom && is_dns_bucket(bucket)) {
    const auto scheme_end = s3.base_url.find("://");
    const std::string scheme = scheme_end == std::string::npos ? "https" : s3.base_url.substr(0, scheme_end);
    return scheme + "://" + std::string(bucket) + "." + s3.host_header + "/" + encoded_key;
  }
  std::string url = s3.base_url + "/" + core::uri_encode(bucket);
  if (!key.empty()) url += "/" + encoded_key;
  return url;
}

}  // namespace bw::aws
