// config/stack_outputs.cpp
#include "config/stack_outputs.hpp"

#include <algorithm>
#include <array>

#include "config/repr.hpp"

namespace bw::config {
namespace {

using core::ErrorCode;

bool is_region_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_queue_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

// Strips scheme and path; what is left is the authority, lowercase.
std::string authority_of(std::string_view value) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
  for (std::string_view scheme : {"https://", "http://"}) {
    if (value.size() >= scheme.size() && to_lower(value.substr(0, scheme.size())) == scheme) {
      value.remove_prefix(scheme.size());
      break;
    }
  }
  return to_lower(value.substr(0, value.find_first_of("/?#")));
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

std::optional<SqsQueueArn> parse_sqs_queue_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:sqs:";
  if (arn.size() > 256 || !arn.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = arn.substr(kPrefix.size());

  const auto region_end = rest.find(':');
  if (region_end == 0 || region_end == std::string_view::npos) return std::nullopt;
  const auto region = rest.substr(0, region_end);
  if (!std::all_of(region.begin(), region.end(), is_region_char)) return std::nullopt;
  rest.remove_prefix(region_end + 1);

  if (rest.size() < 13 || rest[12] != ':') return std::nullopt;
  const auto account = rest.substr(0, 12);
  if (!std::all_of(account.begin(), account.end(), is_digit)) return std::nullopt;
  const auto name = rest.substr(13);

  auto base = name;
  if (base.ends_with(".fifo")) base.remove_suffix(5);
  if (base.empty() || name.size() > 80 || !std::all_of(base.begin(), base.end(), is_queue_char))
    return std::nullopt;
  return SqsQueueArn{std::string(arn), std::string(region), std::string(account), std::string(name)};
}

std::optional<std::string> normalize_catalog_host(std::string_view value) {
  auto authority = authority_of(value);
  if (!valid_authority(authority)) return std::nullopt;
  return authority;
}

core::Result<QuiltOutputs> resolve_outputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                           std::string_view stack_name) {
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
  out.packager_queue_arn = std::string(get("PackagerQueueArn"));

  std::string missing;
  for (std::string_view key : {"UserAthenaDatabaseName", "PackagerQueueArn"}) {
    if (!get(key).empty()) continue;
    if (!missing.empty()) missing += ", ";
    missing += key;
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

  const auto queue = parse_sqs_queue_arn(out.packager_queue_arn);
  if (!queue) {
    return core::make_error(ErrorCode::kInvalidConfig, "Invalid PackagerQueueArn output",
                            "The Quilt stack's PackagerQueueArn output must be an SQS queue ARN: "
                            "arn:aws:sqs:region:account:name")
        .with("Received", truncate_for_display(out.packager_queue_arn))
        .with("Stack", stack);
  }
  out.packager_queue = *queue;
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
    out.catalog_source = std::string(key);
    return out;
  }
  return core::make_error(ErrorCode::kInvalidConfig, "Cannot determine catalog URL",
                          "Stack must export \"QuiltWebHost\", \"Catalog\", \"CatalogDomain\", or "
                          "\"ApiGatewayEndpoint\"")
      .with("Stack", stack);
}

}  // namespace bw::config
