#include "queue/job.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <algorithm>

namespace bw::queue {
namespace {

Job sample() {
  Job j;
  j.kind = JobKind::kPackage;
  j.route = "event";
  j.webhook_id = "msg_2Ks8fLq3";
  j.received_at = "2024-03-05T06:07:08Z";
  j.group_id = "entry:etr_abc123";
  j.envelope = R"({"message":{"type":"v2.entry.created","resourceId":"etr_abc123"}})";
  return j;
}

TEST(Job, KindNames) {
  EXPECT_STREQ(to_string(JobKind::kPackage), "package");
  EXPECT_STREQ(to_string(JobKind::kCanvas), "canvas");
  EXPECT_EQ(parse_job_kind("canvas"), JobKind::kCanvas);
  EXPECT_FALSE(parse_job_kind("Canvas"));
}

TEST(Job, EncodesFixedShapeWithEnvelopeAsJsonString) {
  auto text = encode_job(sample());
  ASSERT_TRUE(text) << text.error().to_text();
  EXPECT_EQ(*text,
            R"({"v":1,"kind":"package","route":"event","webhook_id":"msg_2Ks8fLq3",)"
            R"("received_at":"2024-03-05T06:07:08Z","group_id":"entry:etr_abc123",)"
            R"("envelope":"{\"message\":{\"type\":\"v2.entry.created\",\"resourceId\":\"etr_abc123\"}}"})");
}

TEST(Job, CreatedCanvasIdTravelsWithThePackagingJobOnlyWhenSet) {
  Job j = sample();
  j.canvas_id = "cnvs_8Hq2x";
  auto text = encode_job(j);
  ASSERT_TRUE(text) << text.error().to_text();
  EXPECT_NE(text->find(R"("group_id":"entry:etr_abc123","canvas_id":"cnvs_8Hq2x","envelope":)"),
            std::string::npos);
  auto back = decode_job(*text);
  ASSERT_TRUE(back) << back.error().to_text();
  EXPECT_EQ(*back, j);
  // A job without it reads back without it (and an older writer's job is still valid).
  auto plain = decode_job(*encode_job(sample()));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->canvas_id, "");
  j.canvas_id = "cnvs 1";  // a space: not something Benchling issues, and not printable-id ASCII
  EXPECT_FALSE(encode_job(j));
  j.canvas_id = std::string(129, 'c');
  EXPECT_FALSE(encode_job(j));
  auto wrong_type =
      decode_job(R"({"v":1,"kind":"package","route":"event","webhook_id":"","received_at":)"
                 R"("2024-03-05T06:07:08Z","group_id":"entry:e","canvas_id":7,"envelope":"{}"})");
  ASSERT_FALSE(wrong_type);
  EXPECT_NE(wrong_type.error().message.find("canvas_id"), std::string::npos);
}

TEST(Job, EnvelopeRoundTripsByteForByte) {
  Job j = sample();
  j.kind = JobKind::kCanvas;
  // Pretty-printed JSON with CRLF, tabs, quotes, backslashes, escapes that must stay escapes, non-ASCII
  // (2-, 3- and 4-byte UTF-8), a control character, DEL and the noncharacters U+FFFE/U+FFFF.
  j.envelope =
      "{\r\n\t\"name\" :  \"Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\xA7\xAA\",\n  \"path\": \"C:\\\\x\\\"y\\\"\","
      "\n  \"esc\": \"\\u00e9\\n\", \"raw\": \"\x01\x1f\x7f\xEF\xBF\xBE\xEF\xBF\xBF\xEF\xBF\xBD\"  }\n\n";
  auto text = encode_job(j);
  ASSERT_TRUE(text) << text.error().to_text();
  // SQS accepts only #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000+: none of the raw bytes may appear.
  for (const char* raw : {"\x01", "\x1f", "\x7f", "\xEF\xBF\xBE", "\xEF\xBF\xBF", "\r", "\n", "\t"}) {
    EXPECT_EQ(text->find(raw), std::string::npos) << "raw byte sequence in encoded job";
  }
  EXPECT_NE(text->find("\\ufffe\\uffff\xEF\xBF\xBD"), std::string::npos);
  auto back = decode_job(*text);
  ASSERT_TRUE(back) << back.error().to_text();
  EXPECT_EQ(back->envelope, j.envelope);
  EXPECT_EQ(*back, j);
  // Any JSON parser reads the same envelope (the encoding is plain JSON, not our own dialect).
  EXPECT_EQ(boost::json::parse(*text).at("envelope").as_string(), j.envelope);
}

TEST(Job, DecodeAcceptsOtherWritersFormattingAndIgnoresUnknownMembers) {
  auto job = decode_job(
      R"(  {"envelope": "{}", "group_id": "canvas:cnvs_1", "received_at": "2024-03-05T06:07:08.123Z",
      "webhook_id": "", "route": "canvas", "kind": "canvas", "v": 1, "future": {"x": [1]}} )");
  ASSERT_TRUE(job) << job.error().to_text();
  EXPECT_EQ(job->kind, JobKind::kCanvas);
  EXPECT_EQ(job->group_id, "canvas:cnvs_1");
  EXPECT_EQ(job->webhook_id, "");
  EXPECT_EQ(job->envelope, "{}");
}

TEST(Job, DecodeRejectsUnknownVersionClearly) {
  std::string text = encode_job(sample()).value();
  text.replace(text.find(R"("v":1)"), 5, R"("v":2)");
  auto job = decode_job(text);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(job.error().message, "Unsupported job version 2");
  for (const char* v : {R"("v":"1")", R"("v":1.0)", R"("v":-1)", R"("v":18446744073709551615)"}) {
    std::string t = encode_job(sample()).value();
    t.replace(t.find(R"("v":1)"), 5, v);
    EXPECT_FALSE(decode_job(t)) << v;
  }
}

TEST(Job, DecodeRejectsUnknownKindClearly) {
  std::string text = encode_job(sample()).value();
  text.replace(text.find(R"("package")"), 9, R"("athena")");
  auto job = decode_job(text);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().message, "Unknown job kind \"athena\"");
}

TEST(Job, DecodeRejectsMalformedJson) {
  for (
      const char* bad :
      {"", "not json", "[]", "\"x\"", "{", R"({"v":1})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"w","received_at":"2024-03-05T06:07:08Z","group_id":"g"})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"w","received_at":"2024-03-05T06:07:08Z","group_id":"g","envelope":{}})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"w","received_at":"yesterday","group_id":"g","envelope":"{}"})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"w","received_at":"2024-03-05T06:07:08Z","group_id":"g h","envelope":"{}"})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"w","received_at":"2024-03-05T06:07:08Z","group_id":"","envelope":"{}"})",
       R"({"v":1,"kind":"package","route":"","webhook_id":"w","received_at":"2024-03-05T06:07:08Z","group_id":"g","envelope":"{}"})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"w","received_at":"2024-03-05T06:07:08Z","group_id":"g","envelope":""})",
       R"({"v":1,"kind":"package","route":"event","webhook_id":"a\nb","received_at":"2024-03-05T06:07:08Z","group_id":"g","envelope":"{}"})"}) {
    auto job = decode_job(bad);
    ASSERT_FALSE(job) << bad;
    EXPECT_EQ(job.error().code, core::ErrorCode::kInvalidArgument) << bad;
    EXPECT_FALSE(job.error().suggestion.empty());
  }
}

TEST(Job, DecodeErrorsNeverQuoteTheEnvelope) {
  std::string text = encode_job(sample()).value();
  text.replace(text.find(R"("package")"), 9, R"("etr_abc123 secret stuff and more than thirty-two bytes")");
  auto job = decode_job(text);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().to_text().find("resourceId"), std::string::npos);
  EXPECT_EQ(job.error().to_text().find("secret stuff"), std::string::npos);
}

TEST(Job, OversizedJobIsReportedAsTooLarge) {
  Job j = sample();
  j.envelope = "\"" + std::string(kMaxJobBytes, 'x') + "\"";
  auto text = encode_job(j);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, core::ErrorCode::kTooLarge);
  EXPECT_FALSE(text.error().healable());
  EXPECT_EQ(text.error().message, "Webhook payload too large for the work queue");

  // Under the limit raw, over it once quotes are escaped: still too large, measured after encoding.
  j.envelope = std::string(kMaxJobBytes / 2 + 10, '"');
  text = encode_job(j);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, core::ErrorCode::kTooLarge);

  // The largest envelope that fits: everything but the fixed fields.
  j.envelope = std::string(kMaxJobBytes, 'x');
  const std::string small = sample().envelope;
  const std::size_t overhead =
      encode_job(sample()).value().size() - small.size() - std::count(small.begin(), small.end(), '"');
  j.envelope.resize(kMaxJobBytes - overhead);
  text = encode_job(j);
  ASSERT_TRUE(text) << text.error().to_text();
  EXPECT_EQ(text->size(), kMaxJobBytes);
  EXPECT_TRUE(decode_job(*text));
  j.envelope += 'x';
  EXPECT_EQ(encode_job(j).error().code, core::ErrorCode::kTooLarge);
}

TEST(Job, DecodeRejectsOversizedInput) {
  std::string text = encode_job(sample()).value();
  text.append(kMaxJobBytes, ' ');
  auto job = decode_job(text);
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, core::ErrorCode::kInvalidArgument);
}

TEST(Job, EncodeRejectsFieldsDecodeWouldReject) {
  auto fails = [](Job j) {
    auto text = encode_job(j);
    if (text) return false;
    EXPECT_EQ(text.error().code, core::ErrorCode::kInvalidArgument);  // 400, not 413
    return true;
  };
  Job j = sample();
  j.envelope = "{\"x\":\"\xC3\x28\"}";  // invalid UTF-8
  EXPECT_TRUE(fails(j));
  j.envelope = "\xED\xA0\x80";  // a UTF-16 surrogate encoded as UTF-8
  EXPECT_TRUE(fails(j));
  j.envelope = "\xC0\xAF";  // overlong '/'
  EXPECT_TRUE(fails(j));
  j = sample();
  j.envelope.clear();
  EXPECT_TRUE(fails(j));
  j = sample();
  j.group_id = std::string(129, 'g');
  EXPECT_TRUE(fails(j));
  j.group_id = "entry:\xC3\xA9";
  EXPECT_TRUE(fails(j));
  j = sample();
  j.received_at = "2024-03-05 06:07:08Z";
  EXPECT_TRUE(fails(j));
  j.received_at = "2024-03-05T06:07:08";  // no zone: ambiguous
  EXPECT_TRUE(fails(j));
  j.received_at = "2024-03-05T06:07:08.5+00:00";
  EXPECT_FALSE(fails(j));
  j = sample();
  j.route = "/prod/event?x";
  EXPECT_TRUE(fails(j));
  j = sample();
  j.webhook_id = std::string(1025, 'w');
  EXPECT_TRUE(fails(j));
  j = sample();
  j.route = "prod/event";
  j.webhook_id = "wh \xC3\xA9";  // printable UTF-8 is fine (dedup hashes it)
  j.group_id = std::string(128, '~');
  EXPECT_FALSE(fails(j));
}

}  // namespace
}  // namespace bw::queue
