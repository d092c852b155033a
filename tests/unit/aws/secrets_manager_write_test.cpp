// DescribeSecret, CreateSecret and PutSecretValue against a scripted loopback server.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <regex>

#include "aws/secrets_manager.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using bw::testing::LoopbackServer;
using bw::testing::Reply;

constexpr const char* kArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:benchling/creds-hWsuRd";
constexpr const char* kSecretText = R"({"client_secret":"s3cr3t-VALUE-never-shown"})";

struct Harness : testing::AwsLoopback<SecretsManager> {
  explicit Harness(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_SECRETS_MANAGER", "eu-central-1", "2024-03-05T06:07:08Z"),
        sm(&service) {}
  SecretsManager* sm;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

boost::json::object body_of(const bw::testing::RecordedRequest& r) {
  return boost::json::parse(r.body).as_object();
}

Reply aws_error(int status, const std::string& type, const std::string& message) {
  return Reply::json(status,
                     boost::json::serialize(boost::json::object{{"__type", type}, {"message", message}}));
}

bool is_uuid_v4(const std::string& s) {
  static const std::regex re("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(s, re);
}

// --- DescribeSecret ---

TEST(SecretsManagerDescribe, ParsesMetadataAndCurrentVersion) {
  LoopbackServer server(bw::testing::sequence({Reply::json(
      200, std::string(R"({"ARN": ")") + kArn +
               R"(", "Name": "benchling/creds", "Description": "Benchling settings",)"
               R"( "LastChangedDate": 1717171717.25, "LastAccessedDate": null, "DeletedDate": null,)"
               R"( "VersionIdsToStages": {"v-old": ["AWSPREVIOUS"], "v-new": ["AWSCURRENT", "custom"]}})")}));
  Harness h(server);
  auto d = h.sm->describe_secret("benchling/creds");
  ASSERT_TRUE(d) << d.error().to_text();
  EXPECT_EQ(d->arn, kArn);
  EXPECT_EQ(d->name, "benchling/creds");
  EXPECT_EQ(d->description, "Benchling settings");
  EXPECT_EQ(d->current_version_id, "v-new");
  EXPECT_TRUE(d->exists);
  ASSERT_TRUE(d->last_changed);
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(d->last_changed->time_since_epoch()).count(),
      1717171717250);

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "secretsmanager.DescribeSecret");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(reqs[0].body, R"({"SecretId":"benchling/creds"})");
}

TEST(SecretsManagerDescribe, SecretScheduledForDeletionDoesNotExist) {
  auto d = parse_describe_secret(R"({"ARN":"a","Name":"n","DeletedDate":1717171717})");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->exists);
  EXPECT_FALSE(d->last_changed);
  EXPECT_EQ(d->current_version_id, "");
}

TEST(SecretsManagerDescribe, UnreadableReplyIsRemoteError) {
  auto d = parse_describe_secret("[1,2");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, core::ErrorCode::kRemote);
}

TEST(SecretsManagerDescribe, MissingSecretIsNotFoundWithRegion) {
  for (int status : {404, 400}) {  // moto answers 404 where AWS answers 400
    LoopbackServer server(bw::testing::sequence({aws_error(
        status, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")}));
    Harness h(server);
    auto d = h.sm->describe_secret("benchling/missing");
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(d.error().message, "Secret not found: benchling/missing");
    EXPECT_EQ(detail(d.error(), "Region"), "eu-central-1");
  }
}

TEST(SecretsManagerDescribe, AccessDeniedNamesDescribeSecretPermission) {
  LoopbackServer server(bw::testing::sequence({aws_error(400, "AccessDeniedException", "not authorized")}));
  Harness h(server);
  auto d = h.sm->describe_secret("benchling/creds");
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(d.error().suggestion, "Ensure the IAM role has secretsmanager:DescribeSecret permission");
}

// --- CreateSecret ---

TEST(SecretsManagerCreate, SendsNameStringDescriptionTagsAndTokenAndReturnsArn) {
  LoopbackServer server(bw::testing::sequence({Reply::json(
      200, std::string(R"({"ARN": ")") + kArn + R"(", "Name": "benchling/creds", "VersionId": "v1"})")}));
  Harness h(server);
  auto arn = h.sm->create_secret("benchling/creds", kSecretText, "Benchling settings",
                                 {{"ManagedBy", "benchling-webhook"}, {"Purpose", "test"}});
  ASSERT_TRUE(arn) << arn.error().to_text();
  EXPECT_EQ(*arn, kArn);

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "secretsmanager.CreateSecret");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-amz-json-1.1");
  auto body = body_of(reqs[0]);
  EXPECT_EQ(body.at("Name"), "benchling/creds");
  EXPECT_EQ(body.at("SecretString"), kSecretText);
  EXPECT_EQ(body.at("Description"), "Benchling settings");
  EXPECT_EQ(body.at("Tags"), boost::json::parse(R"([{"Key":"ManagedBy","Value":"benchling-webhook"},)"
                                                R"({"Key":"Purpose","Value":"test"}])"));
  // Raw API calls must bring their own idempotency token (the SDKs send a UUID).
  EXPECT_TRUE(is_uuid_v4(std::string(body.at("ClientRequestToken").as_string())));
}

TEST(SecretsManagerCreate, OmitsEmptyDescriptionAndTags) {
  LoopbackServer server(bw::testing::sequence({Reply::json(200, R"({"ARN": "arn:x"})")}));
  Harness h(server);
  ASSERT_TRUE(h.sm->create_secret("n", "{}"));
  auto body = body_of(server.requests().at(0));
  EXPECT_FALSE(body.contains("Description"));
  EXPECT_FALSE(body.contains("Tags"));
}

TEST(SecretsManagerCreate, RetriedCallKeepsItsTokenSoAwsSeesOneRequest) {
  LoopbackServer server(bw::testing::sequence(
      {aws_error(500, "InternalServiceError", "try again"), Reply::json(200, R"({"ARN": "arn:x"})")}));
  Harness h(server);
  ASSERT_TRUE(h.sm->create_secret("n", "{}"));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(body_of(reqs[0]).at("ClientRequestToken"), body_of(reqs[1]).at("ClientRequestToken"));
}

TEST(SecretsManagerCreate, TwoCallsUseDifferentTokens) {
  LoopbackServer server(bw::testing::sequence({Reply::json(200, R"({"ARN": "arn:x"})")}));
  Harness h(server);
  ASSERT_TRUE(h.sm->create_secret("a", "{}"));
  ASSERT_TRUE(h.sm->create_secret("b", "{}"));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_NE(body_of(reqs[0]).at("ClientRequestToken"), body_of(reqs[1]).at("ClientRequestToken"));
}

TEST(SecretsManagerCreate, ExistingSecretSaysAlreadyExistsAndSuggestsUpdate) {
  LoopbackServer server(bw::testing::sequence(
      {aws_error(400, "ResourceExistsException",
                 "The operation failed because the secret benchling/creds already exists.")}));
  Harness h(server);
  auto arn = h.sm->create_secret("benchling/creds", kSecretText);
  ASSERT_FALSE(arn);
  EXPECT_EQ(arn.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_FALSE(arn.error().healable());
  EXPECT_EQ(arn.error().message, "Secret already exists: benchling/creds");
  EXPECT_NE(arn.error().suggestion.find("use `benchling-webhook secret update`"), std::string::npos);
  EXPECT_EQ(detail(arn.error(), "Region"), "eu-central-1");
  EXPECT_EQ(server.request_count(), 1u);  // a client error is never retried
}

TEST(SecretsManagerCreate, AccessDeniedNamesCreateSecretPermission) {
  LoopbackServer server(bw::testing::sequence({aws_error(400, "AccessDeniedException", "not authorized")}));
  Harness h(server);
  auto arn = h.sm->create_secret("benchling/creds", kSecretText);
  ASSERT_FALSE(arn);
  EXPECT_EQ(arn.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(arn.error().message, "Access denied to secret: benchling/creds");
  EXPECT_EQ(arn.error().suggestion, "Ensure the IAM role has secretsmanager:CreateSecret permission");
}

TEST(SecretsManagerCreate, AwsMessageQuotingTheSecretStringIsScrubbed) {
  LoopbackServer server(bw::testing::sequence({aws_error(
      400, "ValidationException", std::string("Value '") + kSecretText + "' at 'secretString' failed")}));
  Harness h(server);
  auto arn = h.sm->create_secret("benchling/creds", kSecretText);
  ASSERT_FALSE(arn);
  EXPECT_EQ(arn.error().message.rfind("Failed to create secret: Value '***'", 0), 0u) << arn.error().message;
  EXPECT_EQ(arn.error().to_text().find("s3cr3t-VALUE"), std::string::npos);
  EXPECT_EQ(arn.error().to_json().at("details").as_object().at("AWS said").as_string().find("s3cr3t"),
            std::string::npos);
}

TEST(SecretsManagerCreate, ReplyWithoutArnIsRemoteError) {
  LoopbackServer server(bw::testing::sequence({Reply::json(200, R"({"Name": "n"})")}));
  Harness h(server);
  auto arn = h.sm->create_secret("n", "{}");
  ASSERT_FALSE(arn);
  EXPECT_EQ(arn.error().code, core::ErrorCode::kRemote);
}

// --- PutSecretValue ---

TEST(SecretsManagerPut, SendsIdStringAndTokenAndReturnsVersionId) {
  LoopbackServer server(bw::testing::sequence({Reply::json(
      200, std::string(R"({"ARN": ")") + kArn +
               R"(", "Name": "benchling/creds", "VersionId": "v-2", "VersionStages": ["AWSCURRENT"]})")}));
  Harness h(server);
  auto version = h.sm->put_secret_value(kArn, kSecretText);
  ASSERT_TRUE(version) << version.error().to_text();
  EXPECT_EQ(*version, "v-2");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "secretsmanager.PutSecretValue");
  auto body = body_of(reqs[0]);
  EXPECT_EQ(body.at("SecretId"), kArn);
  EXPECT_EQ(body.at("SecretString"), kSecretText);
  EXPECT_TRUE(is_uuid_v4(std::string(body.at("ClientRequestToken").as_string())));
}

TEST(SecretsManagerPut, MissingSecretIsNotFoundAndSuggestsCreate) {
  LoopbackServer server(bw::testing::sequence(
      {aws_error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")}));
  Harness h(server);
  auto version = h.sm->put_secret_value("benchling/missing", kSecretText);
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(version.error().message, "Secret not found: benchling/missing");
  EXPECT_NE(version.error().suggestion.find("benchling-webhook secret create"), std::string::npos);
}

TEST(SecretsManagerPut, OtherErrorsSayFailedToUpdateWithoutTheSecret) {
  LoopbackServer server(bw::testing::sequence(
      {aws_error(400, "InvalidRequestException", std::string("bad request for ") + kSecretText)}));
  Harness h(server);
  auto version = h.sm->put_secret_value("benchling/creds", kSecretText);
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(version.error().message, "Failed to update secret: bad request for ***");
  EXPECT_EQ(version.error().suggestion, "Check AWS credentials and permissions");
  EXPECT_EQ(version.error().to_text().find("s3cr3t-VALUE"), std::string::npos);
  EXPECT_EQ(detail(version.error(), "Region"), "eu-central-1");
}

TEST(SecretsManagerPut, AccessDeniedNamesPutSecretValuePermission) {
  LoopbackServer server(bw::testing::sequence({aws_error(400, "AccessDeniedException", "not authorized")}));
  Harness h(server);
  auto version = h.sm->put_secret_value("benchling/creds", kSecretText);
  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(version.error().suggestion, "Ensure the IAM role has secretsmanager:PutSecretValue permission");
}

}  // namespace
}  // namespace bw::aws

namespace bw::aws {
namespace {

TEST(SecretsManagerWrite, AReplyWithoutTheWrittenIdSaysWhatToCheck) {
  LoopbackServer server(bw::testing::sequence({Reply::json(200, R"({"Name": "benchling/creds"})"),
                                               Reply::json(200, R"({"ARN": "x", "VersionId": ""})")}));
  Harness h(server);
  auto created = h.sm->create_secret("benchling/creds", kSecretText);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().message, "Secrets Manager CreateSecret reply has no ARN");
  EXPECT_EQ(created.error().suggestion,
            "Check in the AWS console whether secret 'benchling/creds' was created");
  EXPECT_EQ(detail(created.error(), "Region"), "eu-central-1");
  auto put = h.sm->put_secret_value("benchling/creds", kSecretText);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().message, "Secrets Manager PutSecretValue reply has no VersionId");
  EXPECT_EQ(put.error().suggestion,
            "Check in the AWS console whether secret 'benchling/creds' has a new version");
}

}  // namespace
}  // namespace bw::aws
