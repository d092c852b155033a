#include "deploy/names.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

// The same input queue_name_test.cpp documents for bw::queue (which deploy may not link); the expected
// hash was computed independently:
//   printf '%s' '<arn>|benchling/creds' | sha256sum   -> 7060b1a38f95a5ac...
constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

TEST(DeployNames, QueueNamesMatchTheNamesTheServiceDerives) {
  EXPECT_EQ(settings_hash(kStackArn, "benchling/creds"), "7060b1a38f95a5ac");
  EXPECT_EQ(work_queue_name(kStackArn, "benchling/creds"), "benchling-webhook-7060b1a38f95a5ac.fifo");
  EXPECT_EQ(dead_letter_queue_name(kStackArn, "benchling/creds"),
            "benchling-webhook-7060b1a38f95a5ac-dlq.fifo");
  EXPECT_EQ(events_queue_name(kStackArn, "benchling/creds"), "benchling-webhook-7060b1a38f95a5ac-events");
  EXPECT_EQ(events_dead_letter_queue_name(kStackArn, "benchling/creds"),
            "benchling-webhook-7060b1a38f95a5ac-events-dlq");
}

// printf '%s'
// 'arn:aws:cloudformation:eu-west-1:210987654321:stack/quilt-staging/11111111-2222-3333-4444-555555555555|benchling/webhook'
// | sha256sum
TEST(DeployNames, HashIsFirst16HexOfSha256OfArnBarSecret) {
  EXPECT_EQ(settings_hash("arn:aws:cloudformation:eu-west-1:210987654321:stack/quilt-staging/"
                          "11111111-2222-3333-4444-555555555555",
                          "benchling/webhook"),
            "42c75ca452d34283");
}

TEST(DeployNames, HashUsesTheLiteralSettings) {
  EXPECT_NE(settings_hash(kStackArn, "benchling/creds"), settings_hash(kStackArn, "benchling/creds "));
  EXPECT_NE(settings_hash(kStackArn, "benchling/creds"),
            settings_hash(kStackArn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds"));
}

}  // namespace
}  // namespace bw::deploy
