// deploy/secret_document.cpp
#include "deploy/secret_document.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "config/mask.hpp"
#include "core/ascii.hpp"
#include "core/json.hpp"
#include "core/json_parse.hpp"
#include "deploy/allow_list.hpp"

namespace bw::deploy {
namespace {

namespace json = boost::json;
using core::ErrorCode;

constexpr std::size_t kMaxClientSecretBytes = 4096;

bool is_optional_key(std::string_view key) {
  return key == "api_url" || key == "jwks_url" || key == "workflow";
}

bool is_known_key(std::string_view key) {
  const auto& keys = secret_keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// "Client-ID", "clientId", "client id" → "client_id": what a typo of a known key normalizes to.
std::string normalize_key(std::string_view key) {
  std::string out;
  for (std::size_t i = 0; i < key.size() && out.size() < 64; ++i) {
    const char c = key[i];
    if (c >= 'A' && c <= 'Z') {
      const bool word_break = i > 0 && key[i - 1] >= 'a' && key[i - 1] <= 'z';
      if (word_break) out += '_';
      out += char(c - 'A' + 'a');
    } else if (c == '-' || c == ' ' || c == '.') {
      out += '_';
    } else {
      out += c;
    }
  }
  return out;
}

// Bounded rendering of a key we did not expect (it comes from a file: keep it printable and short).
std::string display_key(std::string_view key) {
  std::string out = "\"";
  for (char c : key.substr(0, 64)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || c == '"') ? '?' : c;
  }
  if (key.size() > 64) out += "...";
  return out + "\"";
}

// Parses without ever quoting the text: a secret file holds the client secret.
std::optional<json::value> parse_quietly(std::string_view text, std::string* where,
                                         boost::system::error_code* why) {
  auto parsed = core::parse_whole_json(text, 32);
  if (!parsed.value) {
    if (where) *where = core::line_column(text, parsed.stopped_at);
    if (why) *why = parsed.error;
  }
  return std::move(parsed.value);
}

core::Result<json::object> parse_file(std::string_view text, const std::string& file_name) {
  if (text.size() > config::kMaxSecretBytes) {
    return core::make_error(ErrorCode::kInvalidArgument, "Secret file " + file_name + " is too large",
                            "Give a JSON object with the secret's keys only (a real one is under 2 KiB)")
        .with("Size", std::to_string(text.size()) + " bytes")
        .with("Limit", std::to_string(config::kMaxSecretBytes) + " bytes");
  }
  std::string where;
  boost::system::error_code why;
  auto parsed = parse_quietly(text, &where, &why);
  if (!parsed) {
    return core::make_error(ErrorCode::kInvalidArgument, "Secret file " + file_name + " is not valid JSON",
                            "Fix the JSON at the position below; the file must hold one JSON object")
        .with("Parse error", why.message() + " at " + where);
  }
  if (!parsed->is_object()) {
    return core::make_error(
        ErrorCode::kInvalidArgument, "Secret file " + file_name + " is not a JSON object",
        "Write the secret's keys as one JSON object, e.g.\n" + config::example_secret_json());
  }
  json::object obj = std::move(parsed->get_object());

  std::vector<std::string_view> unknown;
  for (const auto& kv : obj) {
    if (!is_known_key(kv.key())) unknown.push_back(kv.key());
  }
  if (unknown.empty()) return obj;

  std::string names, hints;
  for (auto key : unknown) {
    if (!names.empty()) names += ", ";
    names += display_key(key);
    const std::string normal = normalize_key(key);
    if (is_known_key(normal)) {
      hints += (hints.empty() ? "" : "; ") + std::string("did you mean \"") + normal + "\" for " +
               display_key(key) + "?";
    }
  }
  std::string valid;
  for (auto key : secret_keys()) valid += (valid.empty() ? "" : ", ") + std::string(key);
  auto e = core::make_error(
      ErrorCode::kInvalidArgument, "Unknown key(s) in " + file_name + ": " + names,
      hints.empty() ? "Use the secret's field names" : "Use the secret's field names: " + hints);
  return e.with("Valid keys", valid);
}

void apply_flag(json::object& doc, std::string_view key, const std::optional<std::string>& value) {
  if (!value) return;
  if (is_optional_key(key) && value->empty()) {
    doc.erase(key);
    return;
  }
  doc[key] = *value;
}

json::object in_document_order(const json::object& merged) {
  json::object out;
  for (auto key : secret_keys()) {
    if (auto it = merged.find(key); it != merged.end()) out[key] = it->value();
  }
  for (const auto& kv : merged) {
    if (!is_known_key(kv.key())) out[kv.key()] = kv.value();
  }
  return out;
}

}  // namespace

const std::vector<std::string_view>& secret_keys() {
  static const std::vector<std::string_view> keys = {
      "tenant",  "client_id",   "client_secret", "app_definition_id",           "pkg_prefix",
      "pkg_key", "user_bucket", "log_level",     "enable_webhook_verification", "webhook_allow_list",
      "api_url", "jwks_url",    "workflow"};
  return keys;
}

core::Result<SecretDocument> build_secret_document(const SecretDocumentInput& input) {
  SecretDocument out;
  json::object merged;
  std::optional<json::object> current;

  if (input.mode == SecretMode::kCreate) {
    merged = json::object{{"pkg_prefix", "benchling"},
                          {"pkg_key", "experiment_id"},
                          {"log_level", "INFO"},
                          {"enable_webhook_verification", "true"},
                          {"webhook_allow_list", ""}};
  } else if (input.current && !input.current->empty()) {
    auto parsed = input.current->size() <= config::kMaxSecretBytes
                      ? parse_quietly(*input.current, nullptr, nullptr)
                      : std::nullopt;
    if (parsed && parsed->is_object()) {
      current = std::move(parsed->get_object());
      merged = *current;
    } else {
      out.replaced_unreadable_current = true;
    }
  }

  if (input.file_text) {
    auto file = parse_file(*input.file_text, input.file_name.empty() ? "--from-file" : input.file_name);
    if (!file) return file.error();
    for (auto& kv : *file) merged[kv.key()] = std::move(kv.value());
  }

  const SecretFields& f = input.fields;
  apply_flag(merged, "tenant", f.tenant);
  apply_flag(merged, "client_id", f.client_id);
  apply_flag(merged, "client_secret", f.client_secret);
  apply_flag(merged, "app_definition_id", f.app_definition_id);
  apply_flag(merged, "pkg_prefix", f.pkg_prefix);
  apply_flag(merged, "pkg_key", f.pkg_key);
  apply_flag(merged, "user_bucket", f.user_bucket);
  apply_flag(merged, "log_level", f.log_level);
  apply_flag(merged, "enable_webhook_verification", f.enable_webhook_verification);
  apply_flag(merged, "webhook_allow_list", f.webhook_allow_list);
  apply_flag(merged, "api_url", f.api_url);
  apply_flag(merged, "jwks_url", f.jwks_url);
  apply_flag(merged, "workflow", f.workflow);

  out.object = in_document_order(merged);
  out.text = core::to_pretty_json(out.object);
  auto secret = config::parse_secret(out.text, input.secret_id);
  if (!secret) return secret.error();
  // The service ignores the allow list, but deploy turns it into the API's resource policy: a bad entry
  // must fail here, not at the next deploy.
  if (auto allowed = parse_allow_list(secret->webhook_allow_list); !allowed) return allowed.error();
  out.secret = std::move(*secret);

  if (input.mode == SecretMode::kUpdate) {
    for (const auto& kv : out.object) {
      const json::value* before = current ? current->if_contains(kv.key()) : nullptr;
      if (!before || *before != kv.value()) out.changed_keys.emplace_back(kv.key());
    }
    if (current) {  // removed keys, in document order too
      for (const auto& kv : in_document_order(*current)) {
        if (!out.object.contains(kv.key())) out.changed_keys.emplace_back(kv.key());
      }
    }
  }
  return out;
}

json::object masked_secret(const config::BenchlingSecret& s) {
  return json::object{
      {"tenant", s.tenant},
      {"client_id", config::mask_value_json(s.client_id)},
      {"client_secret", "***"},  // never any part of it: not even its length
      {"app_definition_id", s.app_definition_id},
      {"pkg_prefix", s.pkg_prefix},
      {"pkg_key", s.pkg_key},
      {"user_bucket", s.user_bucket},
      {"log_level", s.log_level_name},
      {"enable_webhook_verification", s.enable_webhook_verification},
      {"webhook_allow_list", s.webhook_allow_list},
      {"api_url", s.api_url},
      {"jwks_url", s.jwks_url},
      {"workflow", s.workflow ? json::value(*s.workflow) : json::value(nullptr)},
  };
}

core::Result<std::string> client_secret_from_text(std::string_view text, std::string_view source) {
  if (text.size() > kMaxClientSecretBytes) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "The client secret in " + std::string(source) + " is too long",
                            "Give a file holding only the Benchling app's client secret")
        .with("Size", std::to_string(text.size()) + " bytes")
        .with("Limit", std::to_string(kMaxClientSecretBytes) + " bytes");
  }
  text = core::ascii_trim(text);
  if (text.empty()) {
    return core::make_error(
        ErrorCode::kInvalidArgument, "The client secret in " + std::string(source) + " is empty",
        "Put the Benchling app's client secret in the file (Benchling: Developer Console → "
        "your app → Client secret)");
  }
  return std::string(text);
}

}  // namespace bw::deploy
