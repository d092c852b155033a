#include "aws/detail/credentials_json.hpp"

#include "core/json.hpp"
#include "core/time.hpp"

namespace bw::aws::detail {

core::Result<Credentials> parse_credentials_json(std::string_view body, std::string_view source) {
  auto fail = [&](const std::string& why) {
    return core::make_error(core::ErrorCode::kCredentials,
                            "The " + std::string(source) + " credentials endpoint answered " + why);
  };
  auto parsed = core::parse_json(body, "credentials document", 64 * 1024);
  if (!parsed || !parsed->is_object()) return fail("something that is not a JSON object");
  const auto& obj = parsed->get_object();
  if (auto code = core::get_string(obj, "Code"); code && *code != "Success") {
    return fail("with Code '" + code->substr(0, 64) + "'");
  }
  auto key = core::get_string(obj, "AccessKeyId");
  auto secret = core::get_string(obj, "SecretAccessKey");
  if (!key || key->empty() || !secret || secret->empty()) {
    return fail("without AccessKeyId and SecretAccessKey");
  }
  Credentials creds;
  creds.access_key_id = std::move(*key);
  creds.secret_access_key = std::move(*secret);
  creds.session_token = core::get_string(obj, "Token").value_or("");
  if (auto exp = core::get_string(obj, "Expiration")) {
    creds.expiration = core::parse_iso8601(*exp);
    if (!creds.expiration) return fail("with an unreadable Expiration");
  }
  creds.source = std::string(source);
  return creds;
}

}  // namespace bw::aws::detail
