// config/stack_outputs.cpp
#include "config/stack_outputs.hpp"

#include <algorithm>
#include <array>

#include "config/repr.hpp"
#include "core/ascii.hpp"

namespace bw::config {
namespace {

using core::ErrorCode;

constexpr std::array<std::string_view, 3> kPackagerQueueOutputs = {"PackagerQueueUrl", "QueueUrl",
                                                                   "PackagerQueueArn"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// Strips scheme and path; what is left is the authority, lowercase.
std::string authority_of(std::string_view value) {
  value = core::ascii_trim(value);
  for (std::string_view scheme : {"https://", "http://"}) {
    if (core::ascii_istarts_with(value, scheme)) {
      value.remove_prefix(scheme.size());
      break;
    }
  }
  return core::ascii_lower(value.substr(0, value.find_first_of("/?#")));
}

// host[:port] with a non-empty host of [a-z0-9.-] and 1-5 port digits.
bool valid_authority(std::string_view authority) {
  const auto colon = authority.find(':');
  const auto host = authority.substr(0, colon);
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.front() == '-' ||
      !std::all_of(host.begin(), host.end(), is_host_char)) {
    return false;
  }
  if (colon == std::string_view::npos) return true;
  const auto port = authority.substr(colon + 1);
  return !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), is_digit);
}

}  // namespace

std::optional<std::string> normalize_catalog_host(std::string_view value) {
  auto authority = authority_of(value);
  if (!valid_authority(authority)) return std::nullopt;
  return authority;
}

core::Result<QuiltOutputs> resolve_outputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                           std::string_view stack_name, std::string_view stack_region) {
  // Later duplicates win, as in the Python dict built from Outputs[].
  auto get = [&outputs](std::string_view key) -> std::string_view {
    std::string_view found;
    for (const auto& [k, v] : outputs) {
      if (k == key) found = v;
    }
    return found;
  };
  const std::string stack(truncate_for_display(stack_name));

  QuiltOutputs out;
  out.athena_database = std::string(get("UserAthenaDatabaseName"));
  out.sources.athena_database = "UserAthenaDatabaseName";
  // Real stacks export the queue as a URL (PackagerQueueUrl, or QueueUrl on older ones); some only as
  // an ARN. The first present one decides: a malformed one is an error, never silently skipped.
  std::string_view queue_key;
  for (std::string_view key : kPackagerQueueOutputs) {
    if (!get(key).empty()) {
      queue_key = key;
      break;
    }
  }

  std::string missing;
  if (out.athena_database.empty()) missing = "UserAthenaDatabaseName";
  if (queue_key.empty()) {
    if (!missing.empty()) missing += ", ";
    missing += "PackagerQueueUrl (or QueueUrl or PackagerQueueArn)";
  }
  if (!missing.empty()) {
    std::string available;
    for (const auto& [k, v] : outputs) {
      if (!available.empty()) available += ", ";
      available += k;
    }
    return core::make_error(ErrorCode::kInvalidConfig, "Missing required CloudFormation outputs: " + missing,
                            "Ensure your Quilt stack exports these outputs")
        .with("Available outputs",
              available.empty() ? std::string("(none)") : truncate_for_display(available, 4096))
        .with("Stack", stack);
  }

  const std::string_view queue_value = get(queue_key);
  const bool is_arn = queue_key == "PackagerQueueArn";
  const auto queue =
      is_arn ? parse_sqs_queue_arn(queue_value) : parse_sqs_queue_url(queue_value, stack_region);
  if (!queue) {
    const std::string shape = is_arn ? "an SQS queue ARN: arn:aws:sqs:region:account:name"
                                     : "an SQS queue URL: https://sqs.region.amazonaws.com/account/name";
    return core::make_error(ErrorCode::kInvalidConfig, "Invalid " + std::string(queue_key) + " output",
                            "The Quilt stack's " + std::string(queue_key) + " output must be " + shape)
        .with("Received", truncate_for_display(queue_value))
        .with("Stack", stack);
  }
  out.packager_queue = *queue;
  out.packager_queue_arn = queue->arn;
  out.packager_queue_url = queue->url;
  out.sources.packager_queue = std::string(queue_key);

  if (auto v = get("IcebergDatabaseName"); !v.empty()) {
    out.iceberg_database = std::string(v);
    out.sources.iceberg_database = "IcebergDatabaseName";
  }
  if (auto v = get("UserAthenaWorkgroupName"); !v.empty()) {
    out.athena_workgroup = std::string(v);
    out.sources.athena_workgroup = "UserAthenaWorkgroupName";
  }
  out.api_gateway_endpoint = std::string(get("ApiGatewayEndpoint"));

  for (std::string_view key : {"QuiltWebHost", "Catalog", "CatalogDomain", "ApiGatewayEndpoint"}) {
    const auto value = get(key);
    if (value.empty()) continue;
    auto host = normalize_catalog_host(value);
    // Only the hostname of the API endpoint, as urlparse(...).hostname gives.
    if (host && key == "ApiGatewayEndpoint") host->erase(std::min(host->find(':'), host->size()));
    if (!host) {
      return core::make_error(
                 ErrorCode::kInvalidConfig, "Invalid catalog host in stack output '" + std::string(key) + "'",
                 "The output must be a host name such as catalog.example.com (a URL is accepted)")
          .with("Received", truncate_for_display(value))
          .with("Stack", stack);
    }
    out.catalog_host = std::move(*host);
    out.sources.catalog = std::string(key);
    return out;
  }
  return core::make_error(ErrorCode::kInvalidConfig, "Cannot determine catalog URL",
                          "Stack must export \"QuiltWebHost\", \"Catalog\", \"CatalogDomain\", or "
                          "\"ApiGatewayEndpoint\"")
      .with("Stack", stack);
}

}  // namespace bw::config
