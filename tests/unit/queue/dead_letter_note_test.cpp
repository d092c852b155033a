#include "queue/dead_letter_note.hpp"

#include <gtest/gtest.h>

#include "aws/sqs.hpp"

namespace bw::queue {
namespace {

core::Error error(std::string message) {
  auto e = core::make_error(core::ErrorCode::kRemote, std::move(message), "Retry later");
  e.with("token", "never recorded");
  return e;
}

TEST(DeadLetterNote, IsTheCodeAndMessageOnOneLineWithoutSuggestionOrDetails) {
  EXPECT_EQ(last_error_note(error("Export failed\n\tHTTP 500")), "remote: Export failed  HTTP 500");
}

TEST(DeadLetterNote, DropsUrlQueryStrings) {
  EXPECT_EQ(last_error_note(error("GET https://b.s3.amazonaws.com/k.zip?X-Amz-Signature=s3cr3t&X=1 gave 403; "
                                  "see http://h/p")),
            "remote: GET https://b.s3.amazonaws.com/k.zip?\xE2\x80\xA6 gave 403; see http://h/p");
}

TEST(DeadLetterNote, IsBoundedTo500CharactersCountingCodePoints) {
  const std::string note = last_error_note(error(std::string(2000, 'x')));
  EXPECT_EQ(note.size(), 500u + 3u);  // "remote: " + 492 x, then "…" (3 bytes)
  EXPECT_TRUE(note.ends_with("x\xE2\x80\xA6"));
  // 600 two-byte characters: 500 code points kept, never a cut sequence.
  std::string accents;
  for (int i = 0; i < 600; ++i) accents += "\xC3\xA9";
  const std::string cut = last_error_note(error(accents));
  EXPECT_EQ(cut.size(), 8u + 492u * 2 + 3u);
  EXPECT_EQ(last_error_note(error(std::string(492, 'x'))).size(), 500u) << "exactly 500: not cut";
}

TEST(DeadLetterNote, ReplacesInvalidUtf8AndCharactersSqsRefuses) {
  EXPECT_EQ(last_error_note(error("a\xFF"
                                  "b\xEF\xBF\xBF"
                                  "c")),
            "remote: a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c");
}

TEST(DeadLetterNote, AttributesNameTheSourceQueueMessageAndReceives) {
  aws::SqsMessage m;
  m.message_id = "m-1";
  m.attributes = {{"ApproximateReceiveCount", "5"},
                  {"SentTimestamp", "1700000000000"},
                  {"ApproximateFirstReceiveTimestamp", "1700000000100"}};
  auto attrs = dead_letter_attributes(m, "benchling-webhook-0123456789abcdef.fifo", error("boom"));
  EXPECT_EQ(attrs, (std::map<std::string, std::string>{
                       {"bw-last-error", "remote: boom"},
                       {"bw-source-queue", "benchling-webhook-0123456789abcdef.fifo"},
                       {"bw-source-message-id", "m-1"},
                       {"bw-receives", "5"},
                       {"bw-sent-at", "1700000000000"},
                       {"bw-first-received", "1700000000100"},
                   }));
  EXPECT_EQ(attributes_size({{"ab", "xyz"}}), 2u + 6u + 3u);
}

}  // namespace
}  // namespace bw::queue
