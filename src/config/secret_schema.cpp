// config/secret_schema.cpp
#include "config/secret_schema.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

#include "config/package_name_rule.hpp"
#include "config/repr.hpp"
#include "core/ascii.hpp"
#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/json_parse.hpp"

namespace bw::config {
namespace {

using core::ErrorCode;
namespace json = boost::json;

constexpr std::array<std::string_view, 10> kRequiredKeys = {
    "tenant",  "client_id",   "client_secret", "app_definition_id",           "pkg_prefix",
    "pkg_key", "user_bucket", "log_level",     "enable_webhook_verification", "webhook_allow_list"};

// The keys validated as non-empty strings (step 6), in this order.
constexpr std::array<std::string_view, 7> kStringKeys = {
    "tenant", "client_id", "client_secret", "app_definition_id", "pkg_prefix", "pkg_key", "user_bucket"};

constexpr std::string_view kBoolExpected = "true, false, 'true', 'false', '1', or '0'";

core::Error secret_error(std::string message, std::string suggestion) {
  return core::make_error(ErrorCode::kInvalidSecret, std::move(message), std::move(suggestion));
}

std::string invalid_param(std::string_view key) {
  return "Invalid value for parameter '" + std::string(key) + "'";
}

const char* py_type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "NoneType";
    case json::kind::bool_:
      return "bool";
    case json::kind::int64:
    case json::kind::uint64:
      return "int";
    case json::kind::double_:
      return "float";
    case json::kind::string:
      return "str";
    case json::kind::array:
      return "list";
    case json::kind::object:
      return "dict";
  }
  return "object";
}

std::string describe_kind(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "JSON null";
    case json::kind::bool_:
      return "a JSON boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a JSON number";
    case json::kind::string:
      return "a JSON string";
    case json::kind::array:
      return "a JSON array";
    case json::kind::object:
      return "a JSON object";
  }
  return "a JSON value";
}

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// "syntax error at line 1 column 3 (char 2)": the position, never the text around it (it is a secret).
std::string describe_parse_error(std::string_view text, std::size_t offset,
                                 const boost::system::error_code& ec) {
  return ec.message() + " at " + core::line_column(text, offset) + " (char " +
         std::to_string(std::min(offset, text.size())) + ")";
}

core::Result<json::value> parse_secret_json(std::string_view text) {
  auto parsed = core::parse_whole_json(text, 64);
  if (!parsed.value) {
    return secret_error("Secret contains invalid JSON", "Ensure secret value is valid JSON")
        .with("Parse error", describe_parse_error(text, parsed.stopped_at, parsed.error));
  }
  return std::move(*parsed.value);
}

std::optional<bool> parse_bool(const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (!v.is_string()) return std::nullopt;
  if (v.get_string().size() > 5) return std::nullopt;
  const std::string s = core::ascii_lower(v.get_string());
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  return std::nullopt;
}

// Accepts what people paste for a tenant: "acme", "acme.benchling.com", "https://acme.benchling.com/".
std::optional<std::string> normalize_tenant(std::string_view raw) {
  raw = core::ascii_trim(raw);
  for (std::string_view scheme : {"https://", "http://"}) {
    if (core::ascii_istarts_with(raw, scheme)) {
      raw.remove_prefix(scheme.size());
      break;
    }
  }
  if (const auto slash = raw.find('/'); slash != std::string_view::npos) {
    // Only a bare trailing path is tolerated ("acme.benchling.com/"); anything else is not a tenant.
    if (raw.find_first_not_of('/', slash) != std::string_view::npos) return std::nullopt;
    raw = raw.substr(0, slash);
  }
  while (!raw.empty() && raw.back() == '.') raw.remove_suffix(1);
  std::string tenant = core::ascii_lower(raw);
  constexpr std::string_view kSuffix = ".benchling.com";
  if (tenant.ends_with(kSuffix)) tenant.resize(tenant.size() - kSuffix.size());
  const bool ok = !tenant.empty() && tenant.size() <= 253 && tenant.front() != '.' && tenant.front() != '-' &&
                  std::all_of(tenant.begin(), tenant.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                  });
  if (!ok) return std::nullopt;
  return tenant;
}

// https://host[...] or, for a loopback fake, http://localhost|127.0.0.1|[::1][:port][...].
bool is_acceptable_url(std::string_view url) {
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return false;
  }
  bool plain_http = false;
  if (core::ascii_istarts_with(url, "https://")) {
    url.remove_prefix(8);
  } else if (core::ascii_istarts_with(url, "http://")) {
    url.remove_prefix(7);
    plain_http = true;
  } else {
    return false;
  }
  const auto authority = url.substr(0, url.find_first_of("/?#"));
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  std::string_view host = authority;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return false;
    host = host.substr(0, close + 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host.empty()) return false;
  if (!plain_http) return true;
  const auto lower = core::ascii_lower(host);
  return lower == "localhost" || lower == "127.0.0.1" || lower == "[::1]";
}

std::string allow_list_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "";
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::array: {
      std::string out;
      for (const auto& item : v.get_array()) {
        if (!out.empty()) out += ",";
        out += item.is_string() ? std::string(item.get_string()) : json::serialize(item);
      }
      return out;
    }
    default:
      return json::serialize(v);
  }
}

// An optional string key: nullopt when absent or null; an error when present but not a string.
core::Result<std::optional<std::string>> optional_string(const json::object& obj, std::string_view key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::optional<std::string>{};
  if (!it->value().is_string()) {
    return secret_error(invalid_param(key), "Received: " + py_repr(it->value()))
        .with("Expected", "non-empty string");
  }
  return std::optional<std::string>(std::string(it->value().get_string()));
}

core::Result<std::optional<std::string>> optional_url(const json::object& obj, std::string_view key) {
  auto value = optional_string(obj, key);
  if (!value || !*value) return value;
  std::string url = std::move(**value);
  if (!is_acceptable_url(url)) {
    return secret_error(
               invalid_param(key),
               "Use an https:// URL (http:// is accepted only for localhost and 127.0.0.1), or remove "
               "the key to use the default")
        .with("Received", py_repr(json::value(url)));
  }
  while (url.back() == '/') url.pop_back();
  return std::optional<std::string>(std::move(url));
}

json::object example_secret() {
  return json::object{{"tenant", "quilt-dtt"},
                      {"client_id", "wqFfVOhbYe"},
                      {"client_secret", "6NUPNtpWP7f..."},
                      {"app_definition_id", "appdef_wqFfaXBVMu"},
                      {"pkg_prefix", "benchling"},
                      {"pkg_key", "experiment_id"},
                      {"user_bucket", "my-s3-bucket"},
                      {"log_level", "INFO"},
                      {"enable_webhook_verification", "true"},
                      {"webhook_allow_list", ""}};
}

}  // namespace

std::string example_secret_json() {
  return core::to_pretty_json(example_secret());
}

core::Result<BenchlingSecret> parse_secret(std::string_view secret_string, std::string_view secret_id) {
  // 1. empty
  if (secret_string.empty()) {
    return secret_error("Secret does not contain string data",
                        "Ensure secret is stored as JSON string, not binary");
  }
  if (secret_string.size() > kMaxSecretBytes) {
    return secret_error("Secret is too large",
                        "Store only the Benchling webhook settings in the secret (a small JSON object)")
        .with("Size", std::to_string(secret_string.size()) + " bytes")
        .with("Limit", std::to_string(kMaxSecretBytes) + " bytes");
  }

  // 2. JSON, and an object
  auto parsed = parse_secret_json(secret_string);
  if (!parsed) return parsed.error();
  if (!parsed->is_object()) {
    return secret_error("Secret must be a JSON object",
                        "Store the settings as one JSON object of key/value pairs")
        .with("Received", describe_kind(*parsed))
        .with("Expected secret format (JSON)", example_secret_json());
  }
  const json::object& obj = parsed->get_object();

  // 3. presence of every required key, all reported at once
  std::string missing;
  for (auto key : kRequiredKeys) {
    if (obj.contains(key)) continue;
    if (!missing.empty()) missing += ", ";
    missing += key;
  }
  if (!missing.empty()) {
    return secret_error("Missing required parameters in secret '" + truncate_for_display(secret_id) + "'",
                        "Missing: " + missing)
        .with("Expected secret format (JSON)", example_secret_json())
        .with("See", std::string(kSecretFormatUrl));
  }

  BenchlingSecret out;

  // 4. log level, case-sensitive
  const json::value& level = obj.at("log_level");
  if (!level.is_string() || !core::parse_log_level(level.get_string(), out.log_level)) {
    return secret_error(invalid_param("log_level"), "Received: '" + py_str(level) + "'")
        .with("Expected one of", "DEBUG, INFO, WARNING, ERROR, CRITICAL");
  }
  out.log_level_name = std::string(level.get_string());

  // 5. boolean
  const json::value& verify = obj.at("enable_webhook_verification");
  const auto verify_flag = parse_bool(verify);
  if (!verify_flag) {
    return secret_error(
               invalid_param("enable_webhook_verification"),
               "Invalid boolean value: " + py_repr(verify) + ". Expected: " + std::string(kBoolExpected))
        .with("Expected", std::string(kBoolExpected));
  }
  out.enable_webhook_verification = *verify_flag;

  // 6. non-empty strings
  for (auto key : kStringKeys) {
    const json::value& v = obj.at(key);
    if (v.is_string() && !is_blank(v.get_string())) continue;
    // A wrong-typed client secret is still the secret: describe it by type only.
    const bool hide = key == "client_secret" && !v.is_null() && !v.is_string();
    const std::string received = hide ? std::string("<") + py_type_name(v) + ", not shown>" : py_repr(v);
    return secret_error(invalid_param(key), "Received: " + received).with("Expected", "non-empty string");
  }
  auto str = [&obj](std::string_view key) { return std::string(obj.at(key).get_string()); };
  const auto tenant = normalize_tenant(obj.at("tenant").get_string());
  if (!tenant) {
    return secret_error(
               invalid_param("tenant"),
               "Set tenant to the Benchling tenant name, e.g. \"acme\" for https://acme.benchling.com")
        .with("Received", py_repr(obj.at("tenant")));
  }
  out.tenant = *tenant;
  // Every package is "<pkg_prefix>/<display id>", and Quilt drops a name it refuses without a word: a
  // prefix it cannot take would fail every entry, so it is refused here, where it is written.
  if (const auto problem = package_name_part_problem(obj.at("pkg_prefix").get_string())) {
    return secret_error(invalid_param("pkg_prefix"),
                        "Use only " + std::string(kPackageNamePartAllowed) +
                            ": pkg_prefix starts every Quilt package name (\"<pkg_prefix>/<display id>\"), "
                            "e.g. \"benchling\" or \"lab-notebook_2\"")
        .with("Received", py_repr(obj.at("pkg_prefix")))
        .with("Problem", "it " + *problem);
  }
  out.client_id = str("client_id");
  out.client_secret = str("client_secret");
  out.app_definition_id = str("app_definition_id");
  out.pkg_prefix = str("pkg_prefix");
  out.pkg_key = str("pkg_key");
  out.user_bucket = str("user_bucket");
  out.webhook_allow_list = allow_list_text(obj.at("webhook_allow_list"));

  // Optional keys.
  auto api_url = optional_url(obj, "api_url");
  if (!api_url) return api_url.error();
  auto jwks_url = optional_url(obj, "jwks_url");
  if (!jwks_url) return jwks_url.error();
  auto workflow = optional_string(obj, "workflow");
  if (!workflow) return workflow.error();

  out.api_url = api_url->value_or("https://" + out.tenant + ".benchling.com");
  out.jwks_url = jwks_url->value_or("https://apps.benchling.com/api/v1/apps/" +
                                    core::uri_encode(out.app_definition_id) + "/jwks");
  if (*workflow && !is_blank(**workflow)) out.workflow = std::move(**workflow);
  return out;
}

}  // namespace bw::config
