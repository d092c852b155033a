// config/stack_arn.cpp
#include "config/stack_arn.hpp"

#include <algorithm>

#include "config/repr.hpp"

namespace bw::config {
namespace {

constexpr std::string_view kPrefix = "arn:aws:cloudformation:";

bool is_region_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

core::Error invalid(std::string_view arn) {
  return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid CloudFormation stack ARN format",
                          "ARN must match: arn:aws:cloudformation:region:account:stack/name/id")
      .with("Received", truncate_for_display(arn, kMaxStackArnChars));
}

}  // namespace

core::Result<StackArn> parse_stack_arn(std::string_view arn) {
  if (arn.size() > kMaxStackArnChars || !arn.starts_with(kPrefix) ||
      std::any_of(arn.begin(), arn.end(), is_control)) {
    return invalid(arn);
  }
  std::string_view rest = arn.substr(kPrefix.size());

  const auto region_end = rest.find(':');
  if (region_end == 0 || region_end == std::string_view::npos) return invalid(arn);
  const auto region = rest.substr(0, region_end);
  if (!std::all_of(region.begin(), region.end(), is_region_char)) return invalid(arn);
  rest.remove_prefix(region_end + 1);

  if (rest.size() < 13 || rest[12] != ':') return invalid(arn);
  const auto account = rest.substr(0, 12);
  if (!std::all_of(account.begin(), account.end(), is_digit)) return invalid(arn);
  rest.remove_prefix(13);

  if (!rest.starts_with("stack/")) return invalid(arn);
  rest.remove_prefix(6);
  const auto name_end = rest.find('/');
  if (name_end == 0 || name_end == std::string_view::npos) return invalid(arn);
  const auto name = rest.substr(0, name_end);
  const auto id = rest.substr(name_end + 1);
  if (id.empty()) return invalid(arn);

  return StackArn{std::string(arn), std::string(region), std::string(account), std::string(name),
                  std::string(id)};
}

}  // namespace bw::config
