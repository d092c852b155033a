#include "queue/queue_name.hpp"

#include <gtest/gtest.h>

namespace bw::queue {
namespace {

constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

// Expected values computed independently with Python:
//   python3 -c 'import hashlib; print(hashlib.sha256((ARN + "|" + SECRET).encode()).hexdigest()[:16])'
TEST(QueueName, SettingsHashIsFirst16HexOfSha256OfArnBarSecret) {
  EXPECT_EQ(settings_hash(kStackArn, "benchling/creds"), "7060b1a38f95a5ac");
  EXPECT_EQ(
      settings_hash(kStackArn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-hWsuRd"),
      "92180c63c3659997");
}

// The literal strings: a secret given by name and by ARN are two different deployments.
TEST(QueueName, HashUsesTheLiteralSettings) {
  EXPECT_NE(settings_hash(kStackArn, "benchling/creds"), settings_hash(kStackArn, "benchling/creds "));
  EXPECT_NE(settings_hash("a|b", "c"), settings_hash("a", "b|c") + "x");
}

TEST(QueueName, QueueNamesFollowTheFixedInterface) {
  EXPECT_EQ(work_queue_name(kStackArn, "benchling/creds"), "benchling-webhook-7060b1a38f95a5ac.fifo");
  EXPECT_EQ(dead_letter_queue_name(kStackArn, "benchling/creds"),
            "benchling-webhook-7060b1a38f95a5ac-dlq.fifo");
  EXPECT_EQ(events_queue_name(kStackArn, "benchling/creds"), "benchling-webhook-7060b1a38f95a5ac-events");
}

TEST(QueueName, DeadLetterNameForAWorkQueue) {
  EXPECT_EQ(dead_letter_queue_name_for("benchling-webhook-7060b1a38f95a5ac.fifo"),
            "benchling-webhook-7060b1a38f95a5ac-dlq.fifo");
  EXPECT_EQ(dead_letter_queue_name_for("plain"), "plain-dlq");
}

}  // namespace
}  // namespace bw::queue
