#include "config/secret_schema.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bw::config {
namespace {

using core::ErrorCode;
using Details = std::vector<std::pair<std::string, std::string>>;
namespace json = boost::json;

constexpr const char* kClientSecret = "cs-Very-Secret-Value-9f8e7d";

json::object valid_secret() {
  return json::object{{"tenant", "acme"},
                      {"client_id", "wqFfVOhbYe"},
                      {"client_secret", kClientSecret},
                      {"app_definition_id", "appdef_wqFfaXBVMu"},
                      {"pkg_prefix", "benchling"},
                      {"pkg_key", "experiment_id"},
                      {"user_bucket", "my-s3-bucket"},
                      {"log_level", "INFO"},
                      {"enable_webhook_verification", "true"},
                      {"webhook_allow_list", ""}};
}

json::object with(json::object o, std::string_view key, json::value v) {
  o[key] = std::move(v);
  return o;
}

json::object without(json::object o, std::initializer_list<std::string_view> keys) {
  for (auto k : keys) o.erase(k);
  return o;
}

core::Result<BenchlingSecret> parse(const json::object& o) {
  return parse_secret(json::serialize(o), "bw/creds");
}

core::Error parse_error(const json::object& o) {
  auto r = parse(o);
  EXPECT_FALSE(r.has_value());
  if (r.has_value()) return {};
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidSecret);
  EXPECT_TRUE(r.error().healable());
  EXPECT_EQ(r.error().to_text().find(kClientSecret), std::string::npos) << "client secret leaked";
  return r.error();
}

TEST(SecretSchema, ValidSecretYieldsEveryFieldAndDefaults) {
  auto r = parse(valid_secret());
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->tenant, "acme");
  EXPECT_EQ(r->client_id, "wqFfVOhbYe");
  EXPECT_EQ(r->client_secret, kClientSecret);
  EXPECT_EQ(r->app_definition_id, "appdef_wqFfaXBVMu");
  EXPECT_EQ(r->pkg_prefix, "benchling");
  EXPECT_EQ(r->pkg_key, "experiment_id");
  EXPECT_EQ(r->user_bucket, "my-s3-bucket");
  EXPECT_EQ(r->log_level, core::LogLevel::kInfo);
  EXPECT_EQ(r->log_level_name, "INFO");
  EXPECT_TRUE(r->enable_webhook_verification);
  EXPECT_EQ(r->webhook_allow_list, "");
  EXPECT_EQ(r->api_url, "https://acme.benchling.com");
  EXPECT_EQ(r->jwks_url, "https://apps.benchling.com/api/v1/apps/appdef_wqFfaXBVMu/jwks");
  EXPECT_EQ(r->workflow, std::nullopt);
}

TEST(SecretSchema, UnknownKeysAreIgnored) {
  EXPECT_TRUE(parse(with(valid_secret(), "queue_url", "https://sqs/x")).has_value());
}

TEST(SecretSchema, EqualityTellsARotatedSecretApart) {
  EXPECT_EQ(*parse(valid_secret()), *parse(valid_secret()));
  EXPECT_NE(*parse(valid_secret()), *parse(with(valid_secret(), "client_secret", "rotated")));
}

// --- 1. empty ---

TEST(SecretSchema, EmptySecretStringSaysItHasNoStringData) {
  auto r = parse_secret("", "bw/creds");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidSecret);
  EXPECT_TRUE(r.error().healable());
  EXPECT_EQ(r.error().message, "Secret does not contain string data");
  EXPECT_EQ(r.error().suggestion, "Ensure secret is stored as JSON string, not binary");
  EXPECT_TRUE(r.error().details.empty());
}

TEST(SecretSchema, OversizedSecretIsRejectedBeforeParsing) {
  std::string big = json::serialize(with(valid_secret(), "padding", json::string(kMaxSecretBytes, 'x')));
  auto r = parse_secret(big, "bw/creds");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidSecret);
  EXPECT_EQ(r.error().message, "Secret is too large");
  EXPECT_EQ(r.error().details[1], (std::pair<std::string, std::string>{"Limit", "65536 bytes"}));
}

// --- 2. JSON ---

TEST(SecretSchema, InvalidJsonGivesParseErrorPositionButNoContent) {
  const std::string text = std::string("{\"client_secret\": \"") + kClientSecret + "\",\n oops}";
  auto r = parse_secret(text, "bw/creds");
  ASSERT_FALSE(r.has_value());
  const auto& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidSecret);
  EXPECT_TRUE(e.healable());
  EXPECT_EQ(e.message, "Secret contains invalid JSON");
  EXPECT_EQ(e.suggestion, "Ensure secret value is valid JSON");
  ASSERT_EQ(e.details.size(), 1u);
  EXPECT_EQ(e.details[0].first, "Parse error");
  EXPECT_NE(e.details[0].second.find(" at line 2 column 2 (char "), std::string::npos) << e.details[0].second;
  EXPECT_EQ(e.to_text().find(kClientSecret), std::string::npos);
}

TEST(SecretSchema, TruncatedAndTrailingGarbageJsonAreInvalid) {
  EXPECT_EQ(parse_secret("{\"tenant\": \"a\"", "s").error().message, "Secret contains invalid JSON");
  EXPECT_EQ(parse_secret("{} x", "s").error().message, "Secret contains invalid JSON");
  EXPECT_EQ(parse_secret(std::string(1000, '['), "s").error().message, "Secret contains invalid JSON");
}

TEST(SecretSchema, NonObjectJsonIsRejectedClearly) {
  for (auto [text, received] :
       {std::pair{"[1, 2]", "a JSON array"}, std::pair{"\"benchling\"", "a JSON string"},
        std::pair{"42", "a JSON number"}, std::pair{"null", "JSON null"}}) {
    SCOPED_TRACE(text);
    auto r = parse_secret(text, "bw/creds");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidSecret);
    EXPECT_EQ(r.error().message, "Secret must be a JSON object");
    EXPECT_EQ(r.error().details[0], (std::pair<std::string, std::string>{"Received", received}));
    EXPECT_EQ(r.error().details[1].second, example_secret_json());
  }
}

// --- 3. missing keys ---

TEST(SecretSchema, MissingTenantNamesFieldAndSuggestsFix) {
  auto e = parse_error(without(valid_secret(), {"tenant"}));
  EXPECT_EQ(e.message, "Missing required parameters in secret 'bw/creds'");
  EXPECT_EQ(e.suggestion, "Missing: tenant");
  EXPECT_EQ(e.details, (Details{{"Expected secret format (JSON)", example_secret_json()},
                                {"See", "https://github.com/quiltdata/benchling-webhook#secret-format"}}));
}

TEST(SecretSchema, MissingKeysAreAllListedInRequiredOrder) {
  // Removed in a different order from the one reported.
  auto e =
      parse_error(without(valid_secret(), {"webhook_allow_list", "client_secret", "tenant", "log_level"}));
  EXPECT_EQ(e.suggestion, "Missing: tenant, client_secret, log_level, webhook_allow_list");
}

TEST(SecretSchema, EmptyObjectListsAllTenKeys) {
  auto r = parse_secret("{}", "arn:aws:secretsmanager:us-east-1:123456789012:secret:bw-AbC123");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message,
            "Missing required parameters in secret "
            "'arn:aws:secretsmanager:us-east-1:123456789012:secret:bw-AbC123'");
  EXPECT_EQ(r.error().suggestion,
            "Missing: tenant, client_id, client_secret, app_definition_id, pkg_prefix, pkg_key, user_bucket, "
            "log_level, enable_webhook_verification, webhook_allow_list");
}

TEST(SecretSchema, MissingKeysErrorTextShowsExampleAndSeeLine) {
  auto text = parse_error(without(valid_secret(), {"pkg_key"})).to_text();
  EXPECT_NE(text.find("Expected secret format (JSON): {\n  \"tenant\": \"quilt-dtt\","), std::string::npos)
      << text;
  EXPECT_NE(text.find("\nSee: https://github.com/quiltdata/benchling-webhook#secret-format"),
            std::string::npos);
}

TEST(SecretSchema, PresenceIsCheckedBeforeValues) {
  // An invalid log level does not hide a missing key.
  auto e = parse_error(without(with(valid_secret(), "log_level", "loud"), {"pkg_key"}));
  EXPECT_EQ(e.suggestion, "Missing: pkg_key");
}

TEST(SecretSchema, ExampleSecretIsTheReferenceExampleIndentedTwo) {
  EXPECT_EQ(example_secret_json(),
            "{\n"
            "  \"tenant\": \"quilt-dtt\",\n"
            "  \"client_id\": \"wqFfVOhbYe\",\n"
            "  \"client_secret\": \"6NUPNtpWP7f...\",\n"
            "  \"app_definition_id\": \"appdef_wqFfaXBVMu\",\n"
            "  \"pkg_prefix\": \"benchling\",\n"
            "  \"pkg_key\": \"experiment_id\",\n"
            "  \"user_bucket\": \"my-s3-bucket\",\n"
            "  \"log_level\": \"INFO\",\n"
            "  \"enable_webhook_verification\": \"true\",\n"
            "  \"webhook_allow_list\": \"\"\n"
            "}");
}

// --- 4. log level ---

TEST(SecretSchema, PkgPrefixMustBeAbleToStartAQuiltPackageName) {
  for (const char* bad : {"my prefix", "bench/ling", "lab.data", "r\xc3\xa9sultats"}) {
    auto e = parse_error(with(valid_secret(), "pkg_prefix", bad));
    EXPECT_EQ(e.message, "Invalid value for parameter 'pkg_prefix'") << bad;
    EXPECT_NE(e.suggestion.find("ASCII letters, digits 0-9, '_' and '-'"), std::string::npos) << e.suggestion;
    EXPECT_NE(e.suggestion.find("\"benchling\""), std::string::npos) << "an example: " << e.suggestion;
    const auto text = e.to_text();
    EXPECT_NE(text.find("Received: '"), std::string::npos) << text;
    EXPECT_NE(text.find("Problem: it contains "), std::string::npos) << text;
  }
  EXPECT_NE(parse_error(with(valid_secret(), "pkg_prefix", "my prefix"))
                .to_text()
                .find("Problem: it contains ' ' (a space) at byte 3"),
            std::string::npos);
  EXPECT_TRUE(parse(with(valid_secret(), "pkg_prefix", "lab-notebook_2")).has_value());
}

TEST(SecretSchema, EveryLogLevelIsAccepted) {
  const std::pair<const char*, core::LogLevel> levels[] = {{"DEBUG", core::LogLevel::kDebug},
                                                           {"INFO", core::LogLevel::kInfo},
                                                           {"WARNING", core::LogLevel::kWarning},
                                                           {"ERROR", core::LogLevel::kError},
                                                           {"CRITICAL", core::LogLevel::kCritical}};
  for (auto [name, level] : levels) {
    SCOPED_TRACE(name);
    auto r = parse(with(valid_secret(), "log_level", name));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->log_level, level);
    EXPECT_EQ(r->log_level_name, name);
  }
}

TEST(SecretSchema, LowercaseLogLevelIsRejectedWithExactTexts) {
  auto e = parse_error(with(valid_secret(), "log_level", "info"));
  EXPECT_EQ(e.message, "Invalid value for parameter 'log_level'");
  EXPECT_EQ(e.suggestion, "Received: 'info'");
  EXPECT_EQ(e.details, (Details{{"Expected one of", "DEBUG, INFO, WARNING, ERROR, CRITICAL"}}));
}

TEST(SecretSchema, NonStringLogLevelIsQuotedPythonStr) {
  EXPECT_EQ(parse_error(with(valid_secret(), "log_level", 20)).suggestion, "Received: '20'");
  EXPECT_EQ(parse_error(with(valid_secret(), "log_level", nullptr)).suggestion, "Received: 'None'");
  EXPECT_EQ(parse_error(with(valid_secret(), "log_level", "WARN")).suggestion, "Received: 'WARN'");
}

TEST(SecretSchema, LogLevelIsCheckedBeforeBooleanAndStrings) {
  auto o = with(with(with(valid_secret(), "log_level", "x"), "enable_webhook_verification", "maybe"),
                "tenant", "");
  EXPECT_EQ(parse_error(o).message, "Invalid value for parameter 'log_level'");
}

// --- 5. boolean ---

TEST(SecretSchema, EveryBooleanSpellingIsAccepted) {
  const std::pair<json::value, bool> spellings[] = {
      {true, true},     {false, false},   {"true", true},   {"TRUE", true}, {"True", true}, {"tRuE", true},
      {"false", false}, {"FALSE", false}, {"False", false}, {"1", true},    {"0", false}};
  for (const auto& [value, expected] : spellings) {
    SCOPED_TRACE(json::serialize(value));
    auto r = parse(with(valid_secret(), "enable_webhook_verification", value));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->enable_webhook_verification, expected);
  }
}

TEST(SecretSchema, InvalidBooleanHasExactTextsWithPythonRepr) {
  const std::pair<json::value, const char*> cases[] = {
      {"yes", "'yes'"},  {"", "''"},           {1, "1"},     {0, "0"},
      {nullptr, "None"}, {" true", "' true'"}, {1.0, "1.0"}, {json::array{}, "[]"}};
  for (const auto& [value, repr] : cases) {
    SCOPED_TRACE(repr);
    auto e = parse_error(with(valid_secret(), "enable_webhook_verification", value));
    EXPECT_EQ(e.message, "Invalid value for parameter 'enable_webhook_verification'");
    EXPECT_EQ(e.suggestion, std::string("Invalid boolean value: ") + repr +
                                ". Expected: true, false, 'true', 'false', '1', or '0'");
    EXPECT_EQ(e.details, (Details{{"Expected", "true, false, 'true', 'false', '1', or '0'"}}));
  }
}

TEST(SecretSchema, BooleanIsCheckedBeforeStrings) {
  auto o = with(with(valid_secret(), "enable_webhook_verification", "on"), "tenant", "");
  EXPECT_EQ(parse_error(o).message, "Invalid value for parameter 'enable_webhook_verification'");
}

// --- 6. strings ---

TEST(SecretSchema, EachEmptyStringFieldIsRejectedWithExactTexts) {
  for (const char* key : {"tenant", "client_id", "client_secret", "app_definition_id", "pkg_prefix",
                          "pkg_key", "user_bucket"}) {
    SCOPED_TRACE(key);
    auto e = parse_error(with(valid_secret(), key, ""));
    EXPECT_EQ(e.message, std::string("Invalid value for parameter '") + key + "'");
    EXPECT_EQ(e.suggestion, "Received: ''");
    EXPECT_EQ(e.details, (Details{{"Expected", "non-empty string"}}));
  }
}

TEST(SecretSchema, NonStringValuesShowTheirPythonRepr) {
  EXPECT_EQ(parse_error(with(valid_secret(), "pkg_key", nullptr)).suggestion, "Received: None");
  EXPECT_EQ(parse_error(with(valid_secret(), "user_bucket", 123)).suggestion, "Received: 123");
  EXPECT_EQ(parse_error(with(valid_secret(), "pkg_prefix", 1.5)).suggestion, "Received: 1.5");
  EXPECT_EQ(parse_error(with(valid_secret(), "client_id", false)).suggestion, "Received: False");
  EXPECT_EQ(parse_error(with(valid_secret(), "tenant", json::array{"a"})).suggestion, "Received: ['a']");
  EXPECT_EQ(parse_error(with(valid_secret(), "app_definition_id", json::object{{"id", 1}})).suggestion,
            "Received: {'id': 1}");
}

TEST(SecretSchema, BlankStringIsRejected) {
  EXPECT_EQ(parse_error(with(valid_secret(), "pkg_key", "  ")).suggestion, "Received: '  '");
}

TEST(SecretSchema, WrongTypedClientSecretIsDescribedByTypeOnly) {
  auto e = parse_error(with(valid_secret(), "client_secret", 987654321));
  EXPECT_EQ(e.message, "Invalid value for parameter 'client_secret'");
  EXPECT_EQ(e.suggestion, "Received: <int, not shown>");
  EXPECT_EQ(e.to_text().find("987654321"), std::string::npos);
  EXPECT_EQ(parse_error(with(valid_secret(), "client_secret", nullptr)).suggestion, "Received: None");
}

TEST(SecretSchema, StringFieldsAreCheckedInRequiredOrder) {
  auto o = with(with(valid_secret(), "user_bucket", ""), "client_id", "");
  EXPECT_EQ(parse_error(o).message, "Invalid value for parameter 'client_id'");
}

// --- tenant normalization ---

TEST(SecretSchema, TenantIsNormalizedFromHostOrUrl) {
  const std::pair<const char*, const char*> cases[] = {{"acme.benchling.com", "acme"},
                                                       {"https://Acme.Benchling.com/", "acme"},
                                                       {"test.demo.benchling.com", "test.demo"},
                                                       {" acme. ", "acme"},
                                                       {"ACME", "acme"}};
  for (auto [raw, tenant] : cases) {
    SCOPED_TRACE(raw);
    auto r = parse(with(valid_secret(), "tenant", raw));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->tenant, tenant);
    EXPECT_EQ(r->api_url, std::string("https://") + tenant + ".benchling.com");
  }
}

TEST(SecretSchema, TenantThatIsNotAHostNameIsRejected) {
  for (const char* bad : {"acme/evil", "ac me", "evil.com#", "https://", ".benchling.com", "-acme"}) {
    SCOPED_TRACE(bad);
    auto e = parse_error(with(valid_secret(), "tenant", bad));
    EXPECT_EQ(e.message, "Invalid value for parameter 'tenant'");
    EXPECT_EQ(e.details[0].first, "Received");
  }
}

// --- webhook_allow_list ---

TEST(SecretSchema, AllowListAcceptsStringListOrNull) {
  EXPECT_EQ(parse(with(valid_secret(), "webhook_allow_list", "10.0.0.0/8, 1.2.3.4/32"))->webhook_allow_list,
            "10.0.0.0/8, 1.2.3.4/32");
  EXPECT_EQ(parse(with(valid_secret(), "webhook_allow_list", json::array{"10.0.0.0/8", "1.2.3.4/32"}))
                ->webhook_allow_list,
            "10.0.0.0/8,1.2.3.4/32");
  EXPECT_EQ(parse(with(valid_secret(), "webhook_allow_list", json::array{}))->webhook_allow_list, "");
  EXPECT_EQ(parse(with(valid_secret(), "webhook_allow_list", nullptr))->webhook_allow_list, "");
}

// --- optional keys ---

TEST(SecretSchema, ApiAndJwksUrlsCanBeOverriddenAndLoseTrailingSlash) {
  auto o = with(with(valid_secret(), "api_url", "https://bench.example.com/"), "jwks_url",
                "https://keys.example.com/jwks");
  auto r = parse(o);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->api_url, "https://bench.example.com");
  EXPECT_EQ(r->jwks_url, "https://keys.example.com/jwks");
}

TEST(SecretSchema, PlainHttpUrlsAreAllowedOnlyForLoopback) {
  for (const char* ok :
       {"http://127.0.0.1:8123", "http://localhost:9000/x", "http://[::1]:80", "HTTPS://A.example"}) {
    SCOPED_TRACE(ok);
    EXPECT_TRUE(parse(with(valid_secret(), "api_url", ok)).has_value());
  }
  for (const char* bad : {"http://example.com", "http://127.0.0.1.evil.com", "ftp://x", "example.com",
                          "https://", "https:// x", "https://user@host", "http://localhost@evil.com"}) {
    SCOPED_TRACE(bad);
    auto e = parse_error(with(valid_secret(), "jwks_url", bad));
    EXPECT_EQ(e.message, "Invalid value for parameter 'jwks_url'");
    EXPECT_NE(e.suggestion.find("https://"), std::string::npos);
    EXPECT_EQ(e.details[0].first, "Received");
  }
}

TEST(SecretSchema, EmptyOrNonStringUrlIsRejected) {
  auto e = parse_error(with(valid_secret(), "api_url", ""));
  EXPECT_EQ(e.message, "Invalid value for parameter 'api_url'");
  auto n = parse_error(with(valid_secret(), "api_url", 5));
  EXPECT_EQ(n.suggestion, "Received: 5");
  EXPECT_EQ(n.details, (Details{{"Expected", "non-empty string"}}));
}

TEST(SecretSchema, NullOptionalKeysMeanDefault) {
  auto o = with(with(with(valid_secret(), "api_url", nullptr), "jwks_url", nullptr), "workflow", nullptr);
  auto r = parse(o);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->api_url, "https://acme.benchling.com");
  EXPECT_EQ(r->workflow, std::nullopt);
}

TEST(SecretSchema, JwksDefaultEncodesTheAppDefinitionId) {
  EXPECT_EQ(parse(with(valid_secret(), "app_definition_id", "appdef x/y"))->jwks_url,
            "https://apps.benchling.com/api/v1/apps/appdef%20x%2Fy/jwks");
}

TEST(SecretSchema, WorkflowIsOptionalAndEmptyMeansNone) {
  EXPECT_EQ(parse(with(valid_secret(), "workflow", "alpha"))->workflow, "alpha");
  EXPECT_EQ(parse(with(valid_secret(), "workflow", ""))->workflow, std::nullopt);
  auto e = parse_error(with(valid_secret(), "workflow", 7));
  EXPECT_EQ(e.message, "Invalid value for parameter 'workflow'");
  EXPECT_EQ(e.suggestion, "Received: 7");
}

}  // namespace
}  // namespace bw::config
