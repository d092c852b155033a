#include <gtest/gtest.h>

#include "aws/sqs.hpp"
#include "support/aws_loopback.hpp"
#include "support/loopback_server.hpp"

namespace bw::aws {
namespace {

using testing::LoopbackServer;
using testing::Reply;

struct Batch : testing::AwsLoopback<Sqs> {
  explicit Batch(LoopbackServer& server)
      : AwsLoopback(server, "AWS_ENDPOINT_URL_SQS", "us-east-1", "2024-03-05T06:07:08Z"),
        url(server.url() + "/123456789012/work.fifo") {}
  std::string url;
};

std::vector<SqsBatchEntry> entries(int n) {
  std::vector<SqsBatchEntry> out;
  // append, not a + chain: GCC 12 warns falsely (-Wrestrict) on the latter
  auto numbered = [](std::string prefix, int i) { return prefix.append(std::to_string(i)); };
  for (int i = 0; i < n; ++i) {
    out.push_back({numbered("m", i), numbered("body ", i), numbered("entry:e", i), numbered("d", i)});
  }
  return out;
}

TEST(SqsBatch, SendsEveryEntryWithGroupAndDedupAndReadsBothLists) {
  LoopbackServer server(testing::sequence({Reply::json(
      200,
      R"({"Successful":[{"Id":"m0","MessageId":"id-0","MD5OfMessageBody":"x"},{"Id":"m2","MessageId":"id-2"}],
          "Failed":[{"Id":"m1","Code":"InternalError","Message":"try again","SenderFault":false}]})")}));
  Batch b(server);
  auto r = b.service.send_message_batch(b.url, entries(3));
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->sent, (std::map<std::string, std::string>{{"m0", "id-0"}, {"m2", "id-2"}}));
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].id, "m1");
  EXPECT_EQ(r->failed[0].code, "InternalError");
  EXPECT_FALSE(r->failed[0].sender_fault);
  const auto req = server.requests().at(0);
  EXPECT_EQ(req.header("X-Amz-Target"), "AmazonSQS.SendMessageBatch");
  EXPECT_EQ(req.body,
            R"({"QueueUrl":")" + b.url +
                R"(","Entries":[{"Id":"m0","MessageBody":"body 0","MessageGroupId":"entry:e0",)"
                R"("MessageDeduplicationId":"d0"},{"Id":"m1","MessageBody":"body 1","MessageGroupId":)"
                R"("entry:e1","MessageDeduplicationId":"d1"},{"Id":"m2","MessageBody":"body 2",)"
                R"("MessageGroupId":"entry:e2","MessageDeduplicationId":"d2"}]})");
}

TEST(SqsBatch, AnEntryTheReplyDoesNotMentionCountsAsFailed) {
  LoopbackServer server(
      testing::sequence({Reply::json(200, R"({"Successful":[{"Id":"m0","MessageId":"id-0"}]})")}));
  Batch b(server);
  auto r = b.service.send_message_batch(b.url, entries(2));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].id, "m1");
  EXPECT_EQ(r->failed[0].code, "NotReported");
}

TEST(SqsBatch, SenderFaultIsRead) {
  LoopbackServer server(testing::sequence(
      {Reply::json(200, R"({"Failed":[{"Id":"m0","Code":"InvalidParameterValue","SenderFault":true}]})")}));
  Batch b(server);
  auto r = b.service.send_message_batch(b.url, entries(1));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_TRUE(r->failed[0].sender_fault);
}

TEST(SqsBatch, TooManyOrTooLargeIsRefusedWithoutACall) {
  LoopbackServer server;
  Batch b(server);
  EXPECT_EQ(b.service.send_message_batch(b.url, entries(11)).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(b.service.send_message_batch(b.url, {}).error().code, core::ErrorCode::kInvalidArgument);
  auto big = entries(2);  // each fits, together one byte too many
  big[0].body.assign(kSqsMaxMessageBytes - 5, 'x');
  EXPECT_EQ(b.service.send_message_batch(b.url, big).error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(SqsBatch, AnUnreadableReplyIsARemoteError) {
  LoopbackServer server(testing::sequence({Reply::json(200, R"({"Successful":[{"Id":"m0"}]})")}));
  Batch b(server);
  EXPECT_EQ(b.service.send_message_batch(b.url, entries(1)).error().code, core::ErrorCode::kRemote);
}

}  // namespace
}  // namespace bw::aws
