// config/stack_arn.cpp
#include "config/stack_arn.hpp"

#include <algorithm>

#include "config/arn_head.hpp"
#include "config/repr.hpp"

namespace bw::config {
namespace {

constexpr std::string_view kPrefix = "arn:aws:cloudformation:";

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
  if (arn.size() > kMaxStackArnChars || std::any_of(arn.begin(), arn.end(), is_control)) return invalid(arn);
  const auto head = parse_arn_head(arn, kPrefix);
  if (!head) return invalid(arn);
  std::string_view rest = head->resource;

  if (!rest.starts_with("stack/")) return invalid(arn);
  rest.remove_prefix(6);
  const auto name_end = rest.find('/');
  if (name_end == 0 || name_end == std::string_view::npos) return invalid(arn);
  const auto name = rest.substr(0, name_end);
  const auto id = rest.substr(name_end + 1);
  if (id.empty()) return invalid(arn);

  return StackArn{std::string(arn), std::string(head->region), std::string(head->account), std::string(name),
                  std::string(id)};
}

}  // namespace bw::config
