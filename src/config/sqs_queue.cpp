// config/sqs_queue.cpp
#include "config/sqs_queue.hpp"

#include <algorithm>
#include <vector>

#include "core/ascii.hpp"

namespace bw::config {
namespace {

constexpr std::size_t kMaxArn = 256;
constexpr std::size_t kMaxUrl = 2048;

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

bool valid_account(std::string_view account) {
  return account.size() == 12 && std::all_of(account.begin(), account.end(), is_digit);
}

bool valid_name(std::string_view name) {
  auto base = name;
  if (base.ends_with(".fifo")) base.remove_suffix(5);
  return !base.empty() && name.size() <= 80 && std::all_of(base.begin(), base.end(), is_queue_char);
}

bool valid_region(std::string_view region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), is_region_char);
}

// "us-east-1", "eu-central-2", "us-gov-west-1": letters first, a dash, a digit last. Tells a region
// label in a host from a domain label ("sqs.amazonaws.com" names none).
bool looks_like_region(std::string_view label) {
  return valid_region(label) && label.front() >= 'a' && label.front() <= 'z' &&
         label.find('-') != std::string_view::npos && is_digit(label.back());
}

std::vector<std::string_view> labels_of(std::string_view host) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto dot = host.find('.', start);
    out.push_back(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

// The region a host names, "" when it names none (a custom endpoint).
std::string region_of_host(std::string_view host) {
  if (host == "queue.amazonaws.com") return "us-east-1";
  const auto labels = labels_of(host);
  if (labels.size() >= 3 && labels[0] == "sqs" && looks_like_region(labels[1])) return std::string(labels[1]);
  if (labels.size() >= 3 && labels[1] == "queue" && looks_like_region(labels[0]))
    return std::string(labels[0]);
  return {};
}

std::string arn_of(std::string_view region, std::string_view account, std::string_view name) {
  return std::string("arn:aws:sqs:").append(region).append(":").append(account).append(":").append(name);
}

}  // namespace

std::optional<SqsQueue> parse_sqs_queue_arn(std::string_view arn) {
  constexpr std::string_view kPrefix = "arn:aws:sqs:";
  if (arn.size() > kMaxArn || !arn.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = arn.substr(kPrefix.size());

  const auto region_end = rest.find(':');
  if (region_end == std::string_view::npos) return std::nullopt;
  const auto region = rest.substr(0, region_end);
  if (!valid_region(region)) return std::nullopt;
  rest.remove_prefix(region_end + 1);

  if (rest.size() < 13 || rest[12] != ':') return std::nullopt;
  const auto account = rest.substr(0, 12);
  if (!valid_account(account)) return std::nullopt;
  const auto name = rest.substr(13);
  if (!valid_name(name)) return std::nullopt;

  SqsQueue q{std::string(arn), {}, std::string(region), std::string(account), std::string(name)};
  q.url = "https://sqs." + q.region + ".amazonaws.com/" + q.account + "/" + q.name;
  return q;
}

std::optional<SqsQueue> parse_sqs_queue_url(std::string_view url, std::string_view default_region) {
  if (url.size() > kMaxUrl) return std::nullopt;
  std::string_view rest = url;
  bool scheme = false;
  for (std::string_view s : {"https://", "http://"}) {
    if (core::ascii_istarts_with(rest, s)) {
      rest.remove_prefix(s.size());
      scheme = true;
      break;
    }
  }
  if (!scheme) return std::nullopt;

  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string authority = core::ascii_lower(rest.substr(0, slash));
  const auto colon = authority.find(':');
  const std::string_view host = std::string_view(authority).substr(0, colon);
  if (host.empty() || !std::all_of(host.begin(), host.end(), is_host_char)) return std::nullopt;
  if (colon != std::string::npos) {
    const std::string_view port = std::string_view(authority).substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), is_digit))
      return std::nullopt;
  }

  // Exactly /<account>/<name>: anything more (a query, another segment) is not a queue URL.
  const std::string_view path = rest.substr(slash + 1);
  const auto sep = path.find('/');
  if (sep == std::string_view::npos) return std::nullopt;
  const auto account = path.substr(0, sep);
  const auto name = path.substr(sep + 1);
  if (!valid_account(account) || !valid_name(name)) return std::nullopt;

  std::string region = region_of_host(host);
  if (region.empty()) region = std::string(default_region);
  if (!valid_region(region)) return std::nullopt;

  return SqsQueue{arn_of(region, account, name), std::string(url), std::move(region), std::string(account),
                  std::string(name)};
}

}  // namespace bw::config
