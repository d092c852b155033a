#include "deploy/queue_check.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

const std::string kUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/";

TEST(QueueCheck, FreeNamesAndTheStacksOwnQueuesPass) {
  std::vector<QueueFound> none{{"bw-h.fifo", ""}, {"bw-h-dlq.fifo", ""}};
  EXPECT_TRUE(check_queue_names(none, {}, "bw", "us-east-1"));
  std::vector<QueueFound> ours{{"bw-h.fifo", kUrl + "bw-h.fifo"}, {"bw-h-dlq.fifo", kUrl + "bw-h-dlq.fifo"}};
  EXPECT_TRUE(check_queue_names(ours, {"bw-h-dlq.fifo", "bw-h.fifo", "bw-h-events"}, "bw", "us-east-1"));
}

TEST(QueueCheck, AQueueTheStackDoesNotOwnIsNamedWithTheDeleteCommand) {
  std::vector<QueueFound> queues{{"bw-h.fifo", kUrl + "bw-h.fifo"}, {"bw-h-events", ""}};
  auto r = check_queue_names(queues, {}, "bw-new", "us-east-1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(r.error().message,
            "Queue bw-h.fifo already exists and is not part of stack bw-new: left by another stack deployed "
            "with the same Quilt stack and secret, or made by hand");
  EXPECT_NE(
      r.error().suggestion.find("aws sqs delete-queue --queue-url " + kUrl + "bw-h.fifo --region us-east-1"),
      std::string::npos);
  EXPECT_NE(r.error().suggestion.find("benchling-webhook destroy --stack-name"), std::string::npos);
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].first, "bw-h.fifo");
}

TEST(QueueCheck, OnlyTheQueuesAnExistingStackDoesNotOwnAreRefused) {
  std::vector<QueueFound> queues{{"bw-h.fifo", kUrl + "bw-h.fifo"},
                                 {"bw-h-dlq.fifo", kUrl + "bw-h-dlq.fifo"},
                                 {"bw-h-events-dlq", kUrl + "bw-h-events-dlq"}};
  auto r = check_queue_names(queues, {"bw-h.fifo"}, "bw", "eu-west-1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.substr(0, 57), "2 of the service's queues already exist and are not part ");
  ASSERT_EQ(r.error().details.size(), 2u);
  EXPECT_EQ(r.error().details[0].first, "bw-h-dlq.fifo");
  EXPECT_EQ(r.error().details[1].first, "bw-h-events-dlq");
  EXPECT_NE(r.error().suggestion.find(kUrl + "bw-h-events-dlq --region eu-west-1"), std::string::npos);
  EXPECT_EQ(r.error().suggestion.find("delete-queue --queue-url " + kUrl + "bw-h.fifo "), std::string::npos);
}

}  // namespace
}  // namespace bw::deploy
