#include "config/settings.hpp"

#include <charconv>

#include "config/secret_ref.hpp"

namespace bw::config {
namespace {
std::optional<std::string> pick(const aws::EnvFn& env, const std::optional<std::string>& flag,
                                std::string_view name) {
  if (flag && !flag->empty()) return flag;
  return aws::env_value(env, name);
}
}  // namespace

core::Result<Settings> load_settings(const aws::EnvFn& env, const SettingsOverrides& overrides) {
  auto stack = pick(env, overrides.quilt_stack_arn, "QuiltStackARN");
  auto secret = pick(env, overrides.benchling_secret, "BenchlingSecret");
  if (!stack || !secret) {
    std::string missing = !stack && !secret ? "QuiltStackARN and BenchlingSecret"
                          : !stack          ? "QuiltStackARN"
                                            : "BenchlingSecret";
    auto e = core::make_error(
        core::ErrorCode::kMissingSetting, "Missing required environment variables: " + missing,
        "Secrets-only mode requires exactly 2 environment variables:\n"
        "  - QuiltStackARN: CloudFormation stack ARN (e.g., "
        "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/...)\n"
        "  - BenchlingSecret: Secrets Manager secret name or ARN (e.g., benchling-webhook-prod)\n\n"
        "All other configuration is automatically resolved from AWS.");
    return e;
  }
  auto arn = parse_stack_arn(*stack);
  if (!arn) return arn.error();
  auto ref = parse_secret_ref(*secret, arn->region);
  if (!ref) return ref.error();
  return Settings{std::move(*arn), std::move(*secret), std::move(*ref)};
}

core::Result<uint16_t> load_port(const aws::EnvFn& env) {
  auto text = aws::env_value(env, "PORT");
  if (!text) return uint16_t(8080);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value > 65535) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid PORT: '" + *text + "'",
                            "Set PORT to a TCP port number between 1 and 65535 (default 8080)");
  }
  return uint16_t(value);
}

}  // namespace bw::config
