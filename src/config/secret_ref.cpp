// config/secret_ref.cpp
#include "config/secret_ref.hpp"

#include <algorithm>

#include "config/arn_head.hpp"
#include "config/mask.hpp"
#include "config/repr.hpp"

namespace bw::config {
namespace {

constexpr std::string_view kArnPrefix = "arn:aws:secretsmanager:";
constexpr std::size_t kSuffixChars = 6;  // Secrets Manager appends "-" + 6 random characters

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("/_+=.@-").find(c) != std::string_view::npos;
}
bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool valid_name(std::string_view name, std::size_t max_chars) {
  return !name.empty() && name.size() <= max_chars && std::all_of(name.begin(), name.end(), is_name_char);
}

core::Error invalid_arn(std::string_view setting) {
  return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid Secrets Manager secret ARN format",
                          "ARN must match: arn:aws:secretsmanager:region:account:secret:name "
                          "(or set BenchlingSecret to the secret's name)")
      .with("Received", truncate_for_display(setting));
}

core::Error invalid_name(std::string_view setting) {
  return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid Secrets Manager secret name",
                          "Set BenchlingSecret to the secret's name (1-512 characters: letters, digits and "
                          "/_+=.@-) or to its ARN")
      .with("Received", setting.empty() ? std::string("''") : truncate_for_display(setting));
}

core::Result<SecretRef> parse_arn(std::string_view setting) {
  const auto head = parse_arn_head(setting, kArnPrefix);
  if (!head) return invalid_arn(setting);
  std::string_view rest = head->resource;
  if (!rest.starts_with("secret:")) return invalid_arn(setting);
  rest.remove_prefix(7);
  if (!valid_name(rest, kMaxSecretNameChars + 1 + kSuffixChars)) return invalid_arn(setting);

  SecretRef ref;
  ref.value = std::string(setting);
  ref.region = std::string(head->region);
  ref.account = std::string(head->account);
  // A name may itself end in "-abcdef"; like AWS we then read it as a full ARN (AWS documents that
  // partial ARNs must not end in a hyphen and six characters).
  const bool has_suffix = rest.size() > kSuffixChars + 1 && rest[rest.size() - kSuffixChars - 1] == '-' &&
                          std::all_of(rest.end() - kSuffixChars, rest.end(), is_alnum);
  if (has_suffix) {
    ref.kind = SecretRefKind::kFullArn;
    ref.name = std::string(rest.substr(0, rest.size() - kSuffixChars - 1));
  } else {
    ref.kind = SecretRefKind::kPartialArn;
    ref.name = std::string(rest);
  }
  if (ref.name.size() > kMaxSecretNameChars) return invalid_arn(setting);
  return ref;
}

}  // namespace

const char* to_string(SecretRefKind kind) {
  switch (kind) {
    case SecretRefKind::kName:
      return "name";
    case SecretRefKind::kFullArn:
      return "full_arn";
    case SecretRefKind::kPartialArn:
      return "partial_arn";
  }
  return "name";
}

std::string SecretRef::display() const {
  return is_arn() ? mask_arn(value) : value;
}

const char* SecretRef::health_source() const {
  return is_arn() ? "secrets_manager_arn" : "secrets_manager_name";
}

core::Result<SecretRef> parse_secret_ref(std::string_view setting, std::string_view stack_region) {
  if (setting.starts_with("arn:")) {
    auto ref = parse_arn(setting);
    if (ref && !stack_region.empty()) ref->region_differs_from_stack = ref->region != stack_region;
    return ref;
  }
  if (!valid_name(setting, kMaxSecretNameChars)) return invalid_name(setting);
  SecretRef ref;
  ref.kind = SecretRefKind::kName;
  ref.value = std::string(setting);
  ref.name = std::string(setting);
  return ref;
}

}  // namespace bw::config
