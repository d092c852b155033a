#include "config/secret_ref.hpp"

#include <gtest/gtest.h>

namespace bw::config {
namespace {

using core::ErrorCode;

constexpr std::string_view kFullArn =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-AbC123";
constexpr std::string_view kPartialArn =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds";

TEST(SecretRef, PlainNameIsAName) {
  auto r = parse_secret_ref("benchling/creds");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, SecretRefKind::kName);
  EXPECT_EQ(r->value, "benchling/creds");
  EXPECT_EQ(r->name, "benchling/creds");
  EXPECT_TRUE(r->region.empty());
  EXPECT_FALSE(r->is_arn());
  EXPECT_EQ(r->display(), "benchling/creds");
  EXPECT_STREQ(r->health_source(), "secrets_manager_name");
  EXPECT_STREQ(to_string(r->kind), "name");
}

TEST(SecretRef, FullArnStripsTheSixCharacterSuffixFromTheName) {
  auto r = parse_secret_ref(kFullArn);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, SecretRefKind::kFullArn);
  EXPECT_EQ(r->value, kFullArn);
  EXPECT_EQ(r->name, "benchling/creds");
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->account, "123456789012");
  EXPECT_STREQ(r->health_source(), "secrets_manager_arn");
  EXPECT_EQ(r->display(), "arn:aws:secretsmanager:us-east-1:***9012:secret:benchling/creds-AbC123");
}

TEST(SecretRef, ArnWithoutSuffixIsPartial) {
  auto r = parse_secret_ref(kPartialArn);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, SecretRefKind::kPartialArn);
  EXPECT_EQ(r->name, "benchling/creds");
  EXPECT_STREQ(r->health_source(), "secrets_manager_arn");
}

TEST(SecretRef, NameEndingInHyphenAndSixCharactersReadsAsFullArnLikeAws) {
  auto r = parse_secret_ref("arn:aws:secretsmanager:us-east-1:123456789012:secret:my-secret");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, SecretRefKind::kFullArn);
  EXPECT_EQ(r->name, "my");
}

TEST(SecretRef, FlagsAnArnInAnotherRegionThanTheStack) {
  EXPECT_FALSE(parse_secret_ref(kFullArn, "us-east-1")->region_differs_from_stack);
  EXPECT_TRUE(parse_secret_ref(kFullArn, "eu-west-1")->region_differs_from_stack);
  EXPECT_TRUE(parse_secret_ref(kPartialArn, "eu-west-1")->region_differs_from_stack);
  EXPECT_FALSE(parse_secret_ref(kFullArn)->region_differs_from_stack);
  EXPECT_FALSE(parse_secret_ref("benchling/creds", "eu-west-1")->region_differs_from_stack);
}

TEST(SecretRef, AcceptsEveryAllowedNameCharacterAnd512Characters) {
  EXPECT_TRUE(parse_secret_ref("aZ09/_+=.@-").has_value());
  EXPECT_TRUE(parse_secret_ref(std::string(512, 'a')).has_value());
}

void expect_bad_name(std::string_view setting) {
  SCOPED_TRACE(std::string(setting));
  auto r = parse_secret_ref(setting);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(r.error().healable());
  EXPECT_EQ(r.error().message, "Invalid Secrets Manager secret name");
  EXPECT_NE(r.error().suggestion.find("1-512 characters"), std::string::npos);
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].first, "Received");
}

TEST(SecretRef, RejectsEmptyOversizedAndIllegalNames) {
  expect_bad_name("");
  expect_bad_name(std::string(513, 'a'));
  expect_bad_name("bench ling");
  expect_bad_name("creds\n");
  expect_bad_name("creds#1");
  EXPECT_EQ(parse_secret_ref("").error().details[0].second, "''");
}

void expect_bad_arn(std::string_view setting) {
  SCOPED_TRACE(std::string(setting));
  auto r = parse_secret_ref(setting);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "Invalid Secrets Manager secret ARN format");
  EXPECT_TRUE(
      r.error().suggestion.starts_with("ARN must match: arn:aws:secretsmanager:region:account:secret:name"));
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0], (std::pair<std::string, std::string>{"Received", std::string(setting)}));
}

TEST(SecretRef, RejectsMalformedArns) {
  expect_bad_arn("arn:");
  expect_bad_arn("arn:aws:s3:::bucket");
  expect_bad_arn("arn:aws:ssm:us-east-1:123456789012:parameter/x");
  expect_bad_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:");
  expect_bad_arn("arn:aws:secretsmanager:us-east-1:12345:secret:x");
  expect_bad_arn("arn:aws:secretsmanager::123456789012:secret:x");
  expect_bad_arn("arn:aws:secretsmanager:us-east-1:123456789012:key:x");
  expect_bad_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:bad name");
  expect_bad_arn("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x");
}

TEST(SecretRef, BoundsTheEchoOfAHugeSetting) {
  auto r = parse_secret_ref("arn:" + std::string(100000, 'x'));
  ASSERT_FALSE(r.has_value());
  EXPECT_LT(r.error().details[0].second.size(), 300u);
}

}  // namespace
}  // namespace bw::config
