#include "deploy/secret_document.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/json.hpp"

namespace bw::deploy {
namespace {

namespace json = boost::json;

constexpr const char* kClientSecret = "cs-7f3a9b2e4d1c8f6a0b5e";

SecretFields required_flags() {
  SecretFields f;
  f.tenant = "acme";
  f.client_id = "wqFfVOhbYe42";
  f.client_secret = kClientSecret;
  f.app_definition_id = "appdef_wqFfaXBVMu";
  f.user_bucket = "user-bucket";
  return f;
}

SecretDocumentInput create_input(SecretFields f = required_flags()) {
  SecretDocumentInput in;
  in.mode = SecretMode::kCreate;
  in.secret_id = "bw/creds";
  in.fields = std::move(f);
  return in;
}

std::string current_secret(json::object overrides = {}) {
  json::object o{{"tenant", "acme"},
                 {"client_id", "wqFfVOhbYe42"},
                 {"client_secret", kClientSecret},
                 {"app_definition_id", "appdef_wqFfaXBVMu"},
                 {"pkg_prefix", "lab"},
                 {"pkg_key", "entry_id"},
                 {"user_bucket", "old-bucket"},
                 {"log_level", "DEBUG"},
                 {"enable_webhook_verification", false},
                 {"webhook_allow_list", "1.2.3.4"}};
  for (auto& kv : overrides) o[kv.key()] = kv.value();
  return json::serialize(o);
}

SecretDocumentInput update_input(std::string current, SecretFields f = {}) {
  SecretDocumentInput in;
  in.mode = SecretMode::kUpdate;
  in.secret_id = "bw/creds";
  in.current = std::move(current);
  in.fields = std::move(f);
  return in;
}

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(SecretDocument, CreateFillsSchemaDefaultsForUnsetFields) {
  auto doc = build_secret_document(create_input());
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->object.at("pkg_prefix"), "benchling");
  EXPECT_EQ(doc->object.at("pkg_key"), "experiment_id");
  EXPECT_EQ(doc->object.at("log_level"), "INFO");
  EXPECT_EQ(doc->object.at("enable_webhook_verification"), "true");
  EXPECT_EQ(doc->object.at("webhook_allow_list"), "");
  EXPECT_FALSE(doc->object.contains("api_url"));
  EXPECT_FALSE(doc->object.contains("workflow"));
  EXPECT_EQ(doc->secret.client_secret, kClientSecret);
  EXPECT_EQ(doc->secret.api_url, "https://acme.benchling.com");
}

TEST(SecretDocument, TextIsTwoSpaceJsonInDocumentedKeyOrder) {
  auto doc = build_secret_document(create_input());
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->text.rfind("{\n  \"tenant\": \"acme\",\n  \"client_id\": ", 0), 0u) << doc->text;
  std::vector<std::string> keys;
  for (const auto& kv : doc->object) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"tenant", "client_id", "client_secret", "app_definition_id",
                                            "pkg_prefix", "pkg_key", "user_bucket", "log_level",
                                            "enable_webhook_verification", "webhook_allow_list"}));
  EXPECT_EQ(json::parse(doc->text), json::value(doc->object));
}

TEST(SecretDocument, FlagsOverrideFileWhichOverridesDefaults) {
  auto in = create_input();
  in.fields.user_bucket.reset();
  in.fields.tenant = "flag-tenant";
  in.file_text = R"({"tenant": "file-tenant", "user_bucket": "file-bucket", "log_level": "WARNING"})";
  in.file_name = "secret.json";
  auto doc = build_secret_document(in);
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->object.at("tenant"), "flag-tenant");
  EXPECT_EQ(doc->object.at("user_bucket"), "file-bucket");
  EXPECT_EQ(doc->object.at("log_level"), "WARNING");     // file over default
  EXPECT_EQ(doc->object.at("pkg_prefix"), "benchling");  // default where nobody said
}

TEST(SecretDocument, FileAloneCanCarryEveryField) {
  SecretDocumentInput in = create_input(SecretFields{});
  in.file_text = current_secret({{"workflow", "wf"}});
  auto doc = build_secret_document(in);
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->secret.workflow, "wf");
  EXPECT_FALSE(doc->secret.enable_webhook_verification);  // JSON false from the file, not the default
}

TEST(SecretDocument, UpdateMergesFlagsOntoCurrentAndKeepsTheRest) {
  SecretFields f;
  f.user_bucket = "new-bucket";
  auto doc = build_secret_document(update_input(current_secret(), f));
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->object.at("user_bucket"), "new-bucket");
  EXPECT_EQ(doc->object.at("pkg_prefix"), "lab");
  EXPECT_EQ(doc->object.at("log_level"), "DEBUG");
  EXPECT_EQ(doc->object.at("enable_webhook_verification"), false);
  EXPECT_EQ(doc->object.at("client_secret"), kClientSecret);
  EXPECT_EQ(doc->changed_keys, std::vector<std::string>{"user_bucket"});
}

TEST(SecretDocument, UpdateAppliesNoCreateDefaults) {
  // The current secret lacks pkg_prefix: update must not quietly fill "benchling" in.
  json::object current = json::parse(current_secret()).as_object();
  current.erase("pkg_prefix");
  auto doc = build_secret_document(update_input(json::serialize(current)));
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().suggestion, "Missing: pkg_prefix");
}

TEST(SecretDocument, UpdateOrderIsCurrentThenFileThenFlags) {
  auto in = update_input(current_secret());
  in.file_text = R"({"pkg_key": "file-key", "pkg_prefix": "file-prefix"})";
  in.fields.pkg_prefix = "flag-prefix";
  auto doc = build_secret_document(in);
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->object.at("pkg_prefix"), "flag-prefix");
  EXPECT_EQ(doc->object.at("pkg_key"), "file-key");
  EXPECT_EQ(doc->object.at("user_bucket"), "old-bucket");
  EXPECT_EQ(doc->changed_keys, (std::vector<std::string>{"pkg_prefix", "pkg_key"}));
}

TEST(SecretDocument, UpdateKeepsKeysOtherToolsWrote) {
  auto doc = build_secret_document(update_input(current_secret({{"queue_url", "https://sqs/x"}})));
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->object.at("queue_url"), "https://sqs/x");
  EXPECT_TRUE(doc->changed_keys.empty());
}

TEST(SecretDocument, EmptyOptionalFlagRemovesTheKey) {
  SecretFields f;
  f.workflow = "";
  f.api_url = "";
  auto doc = build_secret_document(
      update_input(current_secret({{"workflow", "wf"}, {"api_url", "https://acme.benchling.com"}}), f));
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_FALSE(doc->object.contains("workflow"));
  EXPECT_FALSE(doc->object.contains("api_url"));
  EXPECT_FALSE(doc->secret.workflow);
  EXPECT_EQ(doc->changed_keys, (std::vector<std::string>{"api_url", "workflow"}));
}

TEST(SecretDocument, UnreadableCurrentIsReplacedNotQuoted) {
  auto in = update_input(std::string("{\"client_secret\": \"") + kClientSecret + "\"", required_flags());
  in.fields.pkg_prefix = "p";
  in.fields.pkg_key = "k";
  in.fields.log_level = "INFO";
  in.fields.enable_webhook_verification = "true";
  in.fields.webhook_allow_list = "";
  auto doc = build_secret_document(in);
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_TRUE(doc->replaced_unreadable_current);
  EXPECT_EQ(doc->object.at("pkg_prefix"), "p");
}

TEST(SecretDocument, MissingFieldsAreNamedAsTheSchemaNamesThem) {
  SecretFields f = required_flags();
  f.user_bucket.reset();
  f.client_id.reset();
  auto doc = build_secret_document(create_input(f));
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, core::ErrorCode::kInvalidSecret);
  EXPECT_EQ(doc.error().message, "Missing required parameters in secret 'bw/creds'");
  EXPECT_EQ(doc.error().suggestion, "Missing: client_id, user_bucket");
}

TEST(SecretDocument, InvalidValueFailsBeforeAnythingIsWritten) {
  SecretFields f = required_flags();
  f.log_level = "verbose";
  auto doc = build_secret_document(create_input(f));
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "Invalid value for parameter 'log_level'");
}

TEST(SecretDocument, UnknownFileKeysAreRejectedByName) {
  auto in = create_input();
  in.file_text = R"({"client-id": "x", "clientSecret": "y", "colour": "blue", "workflow": "ok"})";
  in.file_name = "secret.json";
  auto doc = build_secret_document(in);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(doc.error().message,
            "Unknown key(s) in secret.json: \"client-id\", \"clientSecret\", \"colour\"");
  EXPECT_NE(doc.error().suggestion.find("did you mean \"client_id\" for \"client-id\"?"), std::string::npos);
  EXPECT_NE(doc.error().suggestion.find("did you mean \"client_secret\" for \"clientSecret\"?"),
            std::string::npos);
  EXPECT_NE(detail(doc.error(), "Valid keys").find("api_url, jwks_url, workflow"), std::string::npos);
  EXPECT_EQ(doc.error().to_text().find("blue"), std::string::npos);  // names keys, never values
}

TEST(SecretDocument, OptionalSchemaKeysInFileAreAccepted) {
  auto in = create_input();
  in.file_text =
      R"({"api_url": "https://acme.benchling.com/", "jwks_url": "http://127.0.0.1:9/jwks", "workflow": "w"})";
  auto doc = build_secret_document(in);
  ASSERT_TRUE(doc) << doc.error().to_text();
  EXPECT_EQ(doc->secret.api_url, "https://acme.benchling.com");
  EXPECT_EQ(doc->secret.jwks_url, "http://127.0.0.1:9/jwks");
}

TEST(SecretDocument, FileThatIsNotJsonGivesPositionNotText) {
  auto in = create_input();
  in.file_text = std::string("{\n  \"client_secret\": \"") + kClientSecret + "\"\n  \"tenant\": 1}";
  in.file_name = "s.json";
  auto doc = build_secret_document(in);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "Secret file s.json is not valid JSON");
  EXPECT_NE(detail(doc.error(), "Parse error").find("line 3 column"), std::string::npos)
      << detail(doc.error(), "Parse error");
  EXPECT_EQ(doc.error().to_text().find(kClientSecret), std::string::npos);
}

TEST(SecretDocument, FileThatIsNotAnObjectIsRejected) {
  auto in = create_input();
  in.file_text = R"(["tenant"])";
  in.file_name = "s.json";
  auto doc = build_secret_document(in);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "Secret file s.json is not a JSON object");
}

TEST(SecretDocument, OversizedFileIsRejectedBeforeParsing) {
  auto in = create_input();
  in.file_text = std::string(config::kMaxSecretBytes + 1, ' ');
  auto doc = build_secret_document(in);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("is too large"), std::string::npos);
}

TEST(SecretDocument, WrongTypedClientSecretInFileIsDescribedByTypeOnly) {
  auto in = create_input(SecretFields{});
  json::object file = json::parse(current_secret()).as_object();
  file["client_secret"] = json::array{kClientSecret};
  in.file_text = json::serialize(file);
  auto doc = build_secret_document(in);
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "Invalid value for parameter 'client_secret'");
  EXPECT_EQ(doc.error().to_text().find(kClientSecret), std::string::npos);
}

TEST(SecretDocument, MaskedSecretShowsEveryFieldButNeverTheClientSecret) {
  auto in = create_input();
  in.fields.workflow = "wf";
  auto doc = build_secret_document(in);
  ASSERT_TRUE(doc);
  const json::object masked = masked_secret(doc->secret);
  EXPECT_EQ(masked.at("client_secret"), "***");
  EXPECT_EQ(masked.at("client_id"), "***Ye42");
  EXPECT_EQ(masked.at("tenant"), "acme");
  EXPECT_EQ(masked.at("enable_webhook_verification"), true);
  EXPECT_EQ(masked.at("log_level"), "INFO");
  EXPECT_EQ(masked.at("workflow"), "wf");
  EXPECT_EQ(masked.at("jwks_url"), "https://apps.benchling.com/api/v1/apps/appdef_wqFfaXBVMu/jwks");
  EXPECT_EQ(masked.size(), secret_keys().size());
  const std::string text = core::to_pretty_json(masked);
  // Not the secret, nor any 4-character piece of it (a mask_value-style suffix would leak "0b5e").
  const std::string secret = kClientSecret;
  for (std::size_t i = 0; i + 4 <= secret.size(); ++i) {
    EXPECT_EQ(text.find(secret.substr(i, 4)), std::string::npos) << secret.substr(i, 4);
  }
}

TEST(SecretDocument, MaskedWorkflowIsNullWhenUnset) {
  auto doc = build_secret_document(create_input());
  ASSERT_TRUE(doc);
  EXPECT_TRUE(masked_secret(doc->secret).at("workflow").is_null());
}

TEST(ClientSecretFromText, TrimsTheNewlineEchoAdds) {
  auto s = client_secret_from_text("  s3cret\r\n", "secret.txt");
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "s3cret");
}

TEST(ClientSecretFromText, EmptyFileIsAnErrorNamingIt) {
  auto s = client_secret_from_text(" \n", "secret.txt");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "The client secret in secret.txt is empty");
}

TEST(ClientSecretFromText, HugeFileIsTheWrongFile) {
  auto s = client_secret_from_text(std::string(5000, 'x'), "big.bin");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().to_text().find("xxxx"), std::string::npos);
}

}  // namespace
}  // namespace bw::deploy

namespace bw::deploy {
namespace {

TEST(SecretDocument, AnAllowListEntryThatIsNoAddressIsRejectedBeforeWriting) {
  SecretFields f = required_flags();
  f.webhook_allow_list = "10.0.0.0/8, 300.1.2.3";
  auto doc = build_secret_document(create_input(f));
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find("300.1.2.3"), std::string::npos) << doc.error().to_text();
  f.webhook_allow_list = "10.0.0.0/8, 2001:db8::/32";
  EXPECT_TRUE(build_secret_document(create_input(f)));
}

}  // namespace
}  // namespace bw::deploy
