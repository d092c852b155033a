// config/mask.cpp
#include "config/mask.hpp"

#include <boost/json.hpp>

namespace bw::config {
namespace {

bool is_continuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += is_continuation(c) ? 0 : 1;
  return n;
}

}  // namespace

std::optional<std::string> mask_value(std::string_view value, std::size_t show) {
  if (value.empty()) return std::nullopt;
  if (count_code_points(value) <= show) return std::string("***");
  // Walk back `show` code points from the end.
  std::size_t pos = value.size();
  for (std::size_t seen = 0; seen < show && pos > 0;) {
    --pos;
    if (!is_continuation(value[pos])) ++seen;
  }
  return "***" + std::string(value.substr(pos));
}

std::string mask_arn(std::string_view arn) {
  if (!arn.starts_with("arn:")) return std::string(arn);
  // Locate the fifth part (index 4) without splitting the rest: the resource may hold more ':'.
  std::size_t start = 0;
  for (int part = 0; part < 4; ++part) {
    const auto colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::string(arn);  // fewer than 5 parts
    start = colon + 1;
  }
  const auto end = arn.find(':', start);
  const auto account =
      arn.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  std::string out(arn.substr(0, start));
  out += mask_value(account).value_or("");
  if (end != std::string_view::npos) out += arn.substr(end);
  return out;
}

boost::json::value mask_value_json(std::string_view value, std::size_t show) {
  auto masked = mask_value(value, show);
  if (!masked) return nullptr;
  return boost::json::value(*masked);
}

boost::json::value mask_arn_json(std::string_view arn) {
  if (arn.empty()) return nullptr;
  return boost::json::value(mask_arn(arn));
}

}  // namespace bw::config
