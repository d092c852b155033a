// config/arn_head.cpp
#include "config/arn_head.hpp"

#include <algorithm>

namespace bw::config {

std::optional<ArnHead> parse_arn_head(std::string_view arn, std::string_view prefix) {
  if (!arn.starts_with(prefix)) return std::nullopt;
  std::string_view rest = arn.substr(prefix.size());
  const auto region_end = rest.find(':');
  if (region_end == 0 || region_end == std::string_view::npos) return std::nullopt;
  ArnHead head;
  head.region = rest.substr(0, region_end);
  if (!std::all_of(head.region.begin(), head.region.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
    return std::nullopt;
  rest.remove_prefix(region_end + 1);
  if (rest.size() < 13 || rest[12] != ':') return std::nullopt;
  head.account = rest.substr(0, 12);
  if (!std::all_of(head.account.begin(), head.account.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  head.resource = rest.substr(13);
  return head;
}

}  // namespace bw::config
