#include "aws/json_reply.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

const ReplyOf kOf{"KMS", "kms", "DescribeKey", 64 * 1024};

std::string why_unreadable(std::string_view json, ReplyOf of = kOf) {
  auto obj = load_json_reply(json, of);
  return obj ? "" : obj.error().message;
}

TEST(JsonReply, ReturnsTheReplysObject) {
  auto obj = load_json_reply(R"({"KeyMetadata":{"Arn":"a"}})", kOf);
  ASSERT_TRUE(obj);
  EXPECT_TRUE(obj->contains("KeyMetadata"));
}

TEST(JsonReply, SaysWhyAReplyIsUnreadableWithoutQuotingIt) {
  EXPECT_EQ(why_unreadable("<html>secret</html>"), "KMS DescribeKey reply is unreadable: not valid JSON");
  EXPECT_EQ(why_unreadable(R"(["secret"])"), "KMS DescribeKey reply is unreadable: not a JSON object");
  EXPECT_EQ(why_unreadable(std::string(64 * 1024 + 1, ' ')),
            "KMS DescribeKey reply is unreadable: larger than 64 KiB");
  EXPECT_EQ(why_unreadable("{}", {"SQS", "sqs", "SendMessage", 1}),
            "SQS SendMessage reply is unreadable: larger than 1 bytes");
  auto e = load_json_reply("{", kOf).error();
  EXPECT_EQ(e.code, core::ErrorCode::kRemote);
  EXPECT_EQ(e.suggestion, "Retry later; if it persists, check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_KMS");
  EXPECT_TRUE(e.details.empty());  // nothing of the body, not even where the parse stopped
}

TEST(JsonReply, ALimitIsNamedInTheLargestWholeUnit) {
  EXPECT_EQ(larger_than(16 * 1024 * 1024), "larger than 16 MiB");
  EXPECT_EQ(larger_than(64 * 1024), "larger than 64 KiB");
  EXPECT_EQ(larger_than(1536 * 1024), "larger than 1536 KiB");
  EXPECT_EQ(larger_than(1000), "larger than 1000 bytes");
}

}  // namespace
}  // namespace bw::aws
