#include "config/package_name_rule.hpp"

#include <cstdio>

namespace bw::config {
namespace {

bool allowed(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

//! One byte as a person reads it: ' ' for a space, '.' for printable ASCII, \xNN otherwise (a non-ASCII
//! letter is several bytes; naming the first is enough to find it).
std::string shown(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u == ' ') return "' ' (a space)";
  if (u > 0x20 && u < 0x7f) return std::string("'") + c + "'";
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02X", u);
  return std::string(buf) + (u >= 0x80 ? " (not ASCII)" : " (a control character)");
}

}  // namespace

std::optional<std::string> package_name_part_problem(std::string_view part) {
  if (part.empty()) return "is empty";
  if (part.size() > kMaxPackageNamePartBytes) {
    return "is longer than " + std::to_string(kMaxPackageNamePartBytes) + " bytes";
  }
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (!allowed(part[i])) return "contains " + shown(part[i]) + " at byte " + std::to_string(i + 1);
  }
  return std::nullopt;
}

}  // namespace bw::config
