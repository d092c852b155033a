#include "aws/secrets_manager.hpp"

#include <gtest/gtest.h>

#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

struct Harness : testing::AwsLoopback<SecretsManager> {
  explicit Harness(LoopbackServer& server, std::string region = "eu-central-1")
      : AwsLoopback(server, "AWS_ENDPOINT_URL_SECRETS_MANAGER", std::move(region), "2024-03-05T06:07:08Z"),
        sm(&service) {}
  SecretsManager* sm;
};

std::string detail(const core::Error& e, const std::string& key) {
  return testing::error_detail(e, key);
}

TEST(SecretsManager, GetSecretValueSendsJson11AndParsesReply) {
  LoopbackServer server(testing::sequence({Reply::json(
      200, R"({"ARN": "arn:aws:secretsmanager:eu-central-1:123456789012:secret:benchling/creds-hWsuRd",)"
           R"( "Name": "benchling/creds", "VersionId": "v-1", "SecretString": "{\"tenant\":\"acme\"}",)"
           R"( "VersionStages": ["AWSCURRENT"], "CreatedDate": 1717171717.5})")}));
  Harness h(server);
  auto v = h.sm->get_secret_value("benchling/creds");
  ASSERT_TRUE(v) << v.error().to_text();
  EXPECT_EQ(v->arn, "arn:aws:secretsmanager:eu-central-1:123456789012:secret:benchling/creds-hWsuRd");
  EXPECT_EQ(v->name, "benchling/creds");
  EXPECT_EQ(v->version_id, "v-1");
  EXPECT_EQ(v->secret_string, R"({"tenant":"acme"})");
  EXPECT_FALSE(v->has_secret_binary);
  ASSERT_TRUE(v->created_date);
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(v->created_date->time_since_epoch()).count(),
      1717171717500);

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/");
  EXPECT_EQ(reqs[0].header("X-Amz-Target"), "secretsmanager.GetSecretValue");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(reqs[0].body, R"({"SecretId":"benchling/creds"})");
  const auto auth = reqs[0].header("Authorization").value_or("");
  EXPECT_NE(auth.find("Credential=AKIDTEST/20240305/eu-central-1/secretsmanager/aws4_request"),
            std::string::npos)
      << auth;
}

TEST(SecretsManager, BinarySecretIsFlaggedWithoutString) {
  auto v = parse_get_secret_value(R"({"ARN":"a","Name":"n","VersionId":"v","SecretBinary":"AAEC"})");
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->has_secret_binary);
  EXPECT_FALSE(v->secret_string);
  EXPECT_FALSE(v->created_date);
}

TEST(SecretsManager, UnreadableReplyNeverQuotesIt) {
  auto v = parse_get_secret_value(R"({"SecretString": "TOPSECRET")");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(v.error().to_text().find("TOPSECRET"), std::string::npos);
}

// moto answers 404 where AWS answers 400: both are "not found".
TEST(SecretsManager, MissingSecretIsNotFoundWithRegion) {
  for (int status : {404, 400}) {
    LoopbackServer server(testing::sequence(
        {Reply::json(
             status,
             R"({"__type": "ResourceNotFoundException", "message": "Secrets Manager can't find the specified secret."})")
             .with_header("X-Amzn-ErrorType", "ResourceNotFoundException")}));
    Harness h(server);
    auto v = h.sm->get_secret_value("benchling/missing");
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, core::ErrorCode::kNotFound);
    EXPECT_EQ(v.error().message, "Secret not found: benchling/missing");
    EXPECT_EQ(v.error().suggestion, "Ensure the secret exists in AWS Secrets Manager and is accessible");
    EXPECT_EQ(detail(v.error(), "Region"), "eu-central-1");
    EXPECT_EQ(server.request_count(), 1u);
  }
}

TEST(SecretsManager, AccessDeniedNamesThePermission) {
  LoopbackServer server(testing::sequence({Reply::json(
      400,
      R"({"__type":"AccessDeniedException","message":"User is not authorized to perform GetSecretValue"})")}));
  Harness h(server);
  auto v = h.sm->get_secret_value("benchling/creds");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, core::ErrorCode::kAccessDenied);
  EXPECT_EQ(v.error().message, "Access denied to secret: benchling/creds");
  EXPECT_EQ(v.error().suggestion, "Ensure the IAM role has secretsmanager:GetSecretValue permission");
  EXPECT_EQ(detail(v.error(), "Region"), "eu-central-1");
}

TEST(SecretsManager, CredentialsErrorKeepsCredentialsSuggestion) {
  LoopbackServer server(testing::sequence(
      {Reply::text(403,
                   "<?xml version=\"1.0\" "
                   "encoding=\"UTF-8\"?><ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId"
                   "</Code><Message>The security token included in the request is invalid.</Message></Error>"
                   "<RequestId>x</RequestId></ErrorResponse>")}));
  Harness h(server);
  auto v = h.sm->get_secret_value("benchling/creds");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, core::ErrorCode::kCredentials);
  EXPECT_EQ(v.error().message,
            "Failed to fetch secret: The security token included in the request is invalid.");
  EXPECT_NE(v.error().suggestion.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST(SecretsManager, OtherErrorsSayFailedToFetch) {
  LoopbackServer server(testing::sequence({Reply::json(
      400,
      R"({"__type":"InvalidRequestException","message":"You can't perform this operation on the secret because it was marked for deletion."})")}));
  Harness h(server);
  auto v = h.sm->get_secret_value("benchling/creds");
  ASSERT_FALSE(v);
  EXPECT_EQ(v.error().code, core::ErrorCode::kRemote);
  EXPECT_EQ(v.error().message.rfind("Failed to fetch secret: You can't perform", 0), 0u);
  EXPECT_EQ(v.error().suggestion, "Check AWS credentials and permissions");
  EXPECT_EQ(detail(v.error(), "Region"), "eu-central-1");
}

}  // namespace
}  // namespace bw::aws
