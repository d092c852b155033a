#include "config/queue_names.hpp"

#include <gtest/gtest.h>

#include "config/settings_hash.hpp"

namespace bw::config {
namespace {

constexpr const char* kStackArn =
    "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

// Expected values computed independently with Python:
//   python3 -c 'import hashlib; print(hashlib.sha256((ARN + "|" + SECRET).encode()).hexdigest()[:16])'
TEST(QueueNames, SettingsHashIsFirst16HexOfSha256OfArnBarSecret) {
  EXPECT_EQ(settings_hash(kStackArn, "benchling/creds"), "7060b1a38f95a5ac");
  EXPECT_EQ(
      settings_hash(kStackArn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds-hWsuRd"),
      "92180c63c3659997");
  EXPECT_EQ(settings_hash("arn:aws:cloudformation:eu-west-1:210987654321:stack/quilt-staging/"
                          "11111111-2222-3333-4444-555555555555",
                          "benchling/webhook"),
            "42c75ca452d34283");
}

// The literal strings: a secret given by name and by ARN are two different deployments.
TEST(QueueNames, HashUsesTheLiteralSettings) {
  EXPECT_NE(settings_hash(kStackArn, "benchling/creds"), settings_hash(kStackArn, "benchling/creds "));
  EXPECT_NE(settings_hash(kStackArn, "benchling/creds"),
            settings_hash(kStackArn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:benchling/creds"));
  EXPECT_NE(settings_hash("a|b", "c"), settings_hash("a", "b|c") + "x");
}

TEST(QueueNames, DeploymentNameIsThePrefixOfEveryName) {
  EXPECT_EQ(deployment_name(kStackArn, "benchling/creds"), "benchling-webhook-7060b1a38f95a5ac");
}

TEST(QueueNames, QueueNamesFollowTheFixedInterface) {
  const QueueNames n = queue_names(kStackArn, "benchling/creds");
  EXPECT_EQ(n.work, "benchling-webhook-7060b1a38f95a5ac.fifo");
  EXPECT_EQ(n.canvas, "benchling-webhook-7060b1a38f95a5ac-canvas.fifo");
  EXPECT_EQ(n.dead_letter, "benchling-webhook-7060b1a38f95a5ac-dlq.fifo");
  EXPECT_EQ(n.events, "benchling-webhook-7060b1a38f95a5ac-events");
  EXPECT_EQ(n.events_dead_letter, "benchling-webhook-7060b1a38f95a5ac-events-dlq");
}

// DESIGN: "after 5 receives it goes to the dead-letter queue".
TEST(QueueNames, ReceiveLimitIsFive) {
  EXPECT_EQ(kMaxReceives, 5);
}

}  // namespace
}  // namespace bw::config
