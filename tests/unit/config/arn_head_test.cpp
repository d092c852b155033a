#include "config/arn_head.hpp"

#include <gtest/gtest.h>

namespace bw::config {
namespace {

constexpr std::string_view kStack = "arn:aws:cloudformation:";

TEST(ArnHead, CutsRegionAccountAndResource) {
  auto h = parse_arn_head("arn:aws:cloudformation:eu-west-1:123456789012:stack/q/id", kStack);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->region, "eu-west-1");
  EXPECT_EQ(h->account, "123456789012");
  EXPECT_EQ(h->resource, "stack/q/id");
}

TEST(ArnHead, RefusesAnotherServiceAMalformedRegionOrAccount) {
  for (std::string_view arn :
       {"arn:aws:sqs:us-east-1:123456789012:q", "arn:aws:cloudformation::123456789012:x",
        "arn:aws:cloudformation:US-EAST-1:123456789012:x", "arn:aws:cloudformation:us-east-1:12345678901:x",
        "arn:aws:cloudformation:us-east-1:12345678901a:x", "arn:aws:cloudformation:us-east-1:123456789012",
        "arn:aws:cloudformation:us-east-1"}) {
    EXPECT_FALSE(parse_arn_head(arn, kStack)) << arn;
  }
}

}  // namespace
}  // namespace bw::config
