#include <gtest/gtest.h>

#include "aws/sqs.hpp"
#include "queue/consumer.hpp"

namespace bw::queue {
namespace {
using namespace std::chrono_literals;

aws::SqsMessage sent_at(std::string sent_timestamp) {
  aws::SqsMessage m;
  m.message_id = "m-1";
  m.attributes["SentTimestamp"] = std::move(sent_timestamp);
  return m;
}

const core::SystemTime kNow{std::chrono::milliseconds(1'800'000'000'250)};

TEST(ReceiveLag, IsNowMinusSqsSentTimestampInMilliseconds) {
  EXPECT_EQ(receive_lag(sent_at("1800000000000"), kNow), 250ms);
  EXPECT_EQ(receive_lag(sent_at("1799999400250"), kNow), 600000ms);
}

TEST(ReceiveLag, AMessageStampedAfterNowHasNoLagRatherThanANegativeOne) {
  EXPECT_EQ(receive_lag(sent_at("1800000005000"), kNow), 0ms);  // SQS's clock ahead of ours
}

TEST(ReceiveLag, MissingOrUnreadableTimestampGivesNothing) {
  EXPECT_FALSE(receive_lag(aws::SqsMessage{}, kNow));
  for (const char* bad : {"", "-5", "1.8e12", "18000000000x", " 1800000000000", "9999999999999999999999"}) {
    EXPECT_FALSE(receive_lag(sent_at(bad), kNow)) << bad;
  }
}

}  // namespace
}  // namespace bw::queue
