#include "config/stack_arn.hpp"

#include <gtest/gtest.h>

namespace bw::config {
namespace {

using core::ErrorCode;

constexpr std::string_view kArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/8a5c1e40-1234-11ee-be56-0242ac120002";

void expect_rejected(std::string_view arn) {
  SCOPED_TRACE(std::string(arn));
  auto r = parse_stack_arn(arn);
  ASSERT_FALSE(r.has_value());
  const auto& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(e.healable());
  EXPECT_EQ(e.message, "Invalid CloudFormation stack ARN format");
  EXPECT_EQ(e.suggestion, "ARN must match: arn:aws:cloudformation:region:account:stack/name/id");
  ASSERT_EQ(e.details.size(), 1u);
  EXPECT_EQ(e.details[0].first, "Received");
}

TEST(StackArn, ParsesRegionAccountNameAndId) {
  auto r = parse_stack_arn(kArn);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->arn, kArn);
  EXPECT_EQ(r->region, "us-east-1");
  EXPECT_EQ(r->account, "123456789012");
  EXPECT_EQ(r->name, "quilt-prod");
  EXPECT_EQ(r->id, "8a5c1e40-1234-11ee-be56-0242ac120002");
}

TEST(StackArn, IdMayContainSlashesNameEndsAtFirstSlash) {
  auto r = parse_stack_arn("arn:aws:cloudformation:eu-west-2:123456789012:stack/q/a/b/c");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->name, "q");
  EXPECT_EQ(r->id, "a/b/c");
}

TEST(StackArn, RejectionCarriesTheReceivedValueAndTheFormat) {
  auto r = parse_stack_arn("not-an-arn");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().details,
            (std::vector<std::pair<std::string, std::string>>{{"Received", "not-an-arn"}}));
  EXPECT_EQ(r.error().to_text(),
            "Invalid CloudFormation stack ARN format\n\n"
            "ARN must match: arn:aws:cloudformation:region:account:stack/name/id\n\n"
            "Received: not-an-arn");
}

TEST(StackArn, RejectsEveryMalformedShape) {
  expect_rejected("");
  expect_rejected("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt");     // no id
  expect_rejected("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/");    // empty id
  expect_rejected("arn:aws:cloudformation:us-east-1:123456789012:stack//id");       // empty name
  expect_rejected("arn:aws:cloudformation:us-east-1:12345678901:stack/q/id");       // 11 digits
  expect_rejected("arn:aws:cloudformation:us-east-1:1234567890123:stack/q/id");     // 13 digits
  expect_rejected("arn:aws:cloudformation:us-east-1:12345678901a:stack/q/id");      // non-digit
  expect_rejected("arn:aws:cloudformation:US-EAST-1:123456789012:stack/q/id");      // upper-case region
  expect_rejected("arn:aws:cloudformation::123456789012:stack/q/id");               // empty region
  expect_rejected("arn:aws:cloudformation:us_east_1:123456789012:stack/q/id");      // bad region char
  expect_rejected("arn:aws:cloudformation:us-east-1:123456789012:stackset/q/id");   // not a stack
  expect_rejected("arn:aws:s3:us-east-1:123456789012:stack/q/id");                  // other service
  expect_rejected("arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/q/id");  // other partition
  expect_rejected(" arn:aws:cloudformation:us-east-1:123456789012:stack/q/id");     // leading space
}

TEST(StackArn, RejectsControlCharactersIncludingATrailingNewline) {
  expect_rejected("arn:aws:cloudformation:us-east-1:123456789012:stack/q/id\n");
  expect_rejected("arn:aws:cloudformation:us-east-1:123456789012:stack/q\t/id");
}

TEST(StackArn, RejectsOversizedInputAndBoundsTheEcho) {
  std::string arn = "arn:aws:cloudformation:us-east-1:123456789012:stack/q/" + std::string(5000, 'x');
  auto r = parse_stack_arn(arn);
  ASSERT_FALSE(r.has_value());
  EXPECT_LE(r.error().details[0].second.size(), kMaxStackArnChars + 3);
  // Right at the limit is still accepted.
  std::string at_limit = "arn:aws:cloudformation:us-east-1:123456789012:stack/q/";
  at_limit += std::string(kMaxStackArnChars - at_limit.size(), 'x');
  EXPECT_TRUE(parse_stack_arn(at_limit).has_value());
}

}  // namespace
}  // namespace bw::config
