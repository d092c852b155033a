#include "aws/unreadable_reply.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

TEST(UnreadableReply, NamesTheServiceTheActionWhyAndTheServicesEndpointVariable) {
  auto e = unreadable_reply("CloudWatch Logs", "logs", "FilterLogEvents", "not JSON");
  EXPECT_EQ(e.code, core::ErrorCode::kRemote);
  EXPECT_EQ(e.message, "CloudWatch Logs FilterLogEvents reply is unreadable: not JSON");
  EXPECT_EQ(e.suggestion,
            "Retry later; if it persists, check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
  EXPECT_EQ(
      unreadable_reply("Elastic Load Balancing", "elasticloadbalancing", "DescribeTargetHealth", "x")
          .suggestion,
      "Retry later; if it persists, check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2");
}

}  // namespace
}  // namespace bw::aws
