#include "config/mask.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bw::config {
namespace {

TEST(MaskValue, EmptyIsNull) {
  EXPECT_EQ(mask_value(""), std::nullopt);
  EXPECT_TRUE(mask_value_json("").is_null());
}

TEST(MaskValue, FourCharactersOrFewerBecomeStars) {
  EXPECT_EQ(mask_value("a"), "***");
  EXPECT_EQ(mask_value("abcd"), "***");
}

TEST(MaskValue, LongerValuesKeepTheLastFour) {
  EXPECT_EQ(mask_value("abcde"), "***bcde");
  EXPECT_EQ(mask_value("wqFfVOhbYe"), "***hbYe");
  EXPECT_EQ(mask_value_json("123456789012"), boost::json::value("***9012"));
}

TEST(MaskValue, ShowCountIsAdjustable) {
  EXPECT_EQ(mask_value("abcdef", 2), "***ef");
  EXPECT_EQ(mask_value("ab", 2), "***");
}

TEST(MaskValue, CountsCodePointsNotBytes) {
  // Four two-byte characters: len 4 in Python, so fully masked.
  EXPECT_EQ(mask_value("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "***");
  EXPECT_EQ(mask_value("x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"), "***\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
}

TEST(MaskArn, MasksTheAccountPart) {
  EXPECT_EQ(mask_arn("arn:aws:sqs:us-east-1:123456789012:q"), "arn:aws:sqs:us-east-1:***9012:q");
  EXPECT_EQ(mask_arn("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/abc-123"),
            "arn:aws:cloudformation:us-east-1:***9012:stack/quilt/abc-123");
}

TEST(MaskArn, KeepsColonsInTheResource) {
  EXPECT_EQ(mask_arn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:bw/creds-AbC123"),
            "arn:aws:secretsmanager:eu-west-1:***9012:secret:bw/creds-AbC123");
}

TEST(MaskArn, FiveParts) {
  EXPECT_EQ(mask_arn("arn:aws:sqs:us-east-1:123456789012"), "arn:aws:sqs:us-east-1:***9012");
}

TEST(MaskArn, NonArnsAndShortArnsAreUnchanged) {
  EXPECT_EQ(mask_arn(""), "");
  EXPECT_EQ(mask_arn("my-queue"), "my-queue");
  EXPECT_EQ(mask_arn("ARN:aws:sqs:us-east-1:123456789012:q"), "ARN:aws:sqs:us-east-1:123456789012:q");
  EXPECT_EQ(mask_arn("arn:aws:sqs:us-east-1"), "arn:aws:sqs:us-east-1");
}

TEST(MaskArn, EmptyAccountStaysEmpty) {
  EXPECT_EQ(mask_arn("arn:aws:s3:::bucket"), "arn:aws:s3:::bucket");
}

TEST(MaskArn, ShortAccountIsAllStars) {
  EXPECT_EQ(mask_arn("arn:aws:sqs:r:1234:q"), "arn:aws:sqs:r:***:q");
}

TEST(MaskArnJson, EmptyIsNullElseMaskedString) {
  EXPECT_TRUE(mask_arn_json("").is_null());
  EXPECT_EQ(mask_arn_json("arn:aws:sqs:us-east-1:123456789012:q"),
            boost::json::value("arn:aws:sqs:us-east-1:***9012:q"));
}

}  // namespace
}  // namespace bw::config
