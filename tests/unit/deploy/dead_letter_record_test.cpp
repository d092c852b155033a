#include "deploy/dead_letter_record.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sstream>

#include "aws/sqs.hpp"

namespace bw::deploy {
namespace {

JobSummary package_job(std::string_view) {
  JobSummary s;
  s.kind = "package";
  s.entry_id = "etr_1";
  s.event_type = "v2.entry.updated.fields";
  s.received_at = "2026-12-03T10:00:00Z";
  return s;
}

//! A copy the consumer moved: new id and timestamps, the originals in its notes.
aws::SqsMessage moved_by_consumer() {
  aws::SqsMessage m;
  m.message_id = "dlq-1";
  m.receipt_handle = "rh";
  m.body = "{}";
  m.attributes = {{"MessageGroupId", "entry:etr_1"},
                  {"SentTimestamp", "1764756000000"},
                  {"ApproximateReceiveCount", "3"},
                  {"ApproximateFirstReceiveTimestamp", "1764756001000"}};
  m.message_attributes = {{"bw-last-error", "remote: Export failed"},
                          {"bw-source-queue", "benchling-webhook-0123456789abcdef.fifo"},
                          {"bw-source-message-id", "src-1"},
                          {"bw-receives", "5"},
                          {"bw-sent-at", "1764752400000"},
                          {"bw-first-received", "1764752400500"}};
  return m;
}

TEST(DeadLetterRecord, AConsumerMovedCopyShowsTheOriginalsFromItsNotes) {
  auto d = read_dead_letter(moved_by_consumer(), "benchling-webhook-0123456789abcdef-dlq.fifo", package_job);
  EXPECT_EQ(d.message_id, "dlq-1");
  EXPECT_EQ(d.source_queue, "benchling-webhook-0123456789abcdef.fifo");
  EXPECT_EQ(d.source_message_id, "src-1");
  EXPECT_EQ(d.group_id, "entry:etr_1");
  EXPECT_EQ(d.receives, 5);
  EXPECT_TRUE(d.receives_recorded);
  EXPECT_EQ(d.sent_ms, 1764752400000);
  EXPECT_EQ(d.first_received_ms, 1764752400500);
  EXPECT_EQ(d.last_error, "remote: Export failed");
  EXPECT_EQ(d.dead_letter_sent, "1764756000000");

  auto j = to_json(d);
  EXPECT_EQ(j.at("kind"), "package");
  EXPECT_EQ(j.at("entry_id"), "etr_1");
  EXPECT_EQ(j.at("canvas_id"), nullptr);
  EXPECT_EQ(j.at("sent_at"), "2025-12-03T09:00:00Z");
  EXPECT_EQ(j.at("received_at"), "2026-12-03T10:00:00Z");
  EXPECT_EQ(j.at("last_error"), "remote: Export failed");
  EXPECT_FALSE(j.contains("logs_command"));
  EXPECT_FALSE(j.contains("body"));
  EXPECT_FALSE(j.contains("receipt_handle"));
}

TEST(DeadLetterRecord, AnSqsMovedMessageTakesItsSourceFromTheArnAndPointsAtTheLogs) {
  aws::SqsMessage m;
  m.message_id = "orig-1";
  m.body = "{}";
  m.attributes = {{"DeadLetterQueueSourceArn",
                   "arn:aws:sqs:us-east-1:123456789012:benchling-webhook-0123456789abcdef.fifo"},
                  {"ApproximateReceiveCount", "6"},
                  {"SentTimestamp", "1764752400000"}};
  auto d = read_dead_letter(m, "dlq.fifo", package_job);
  EXPECT_EQ(d.source_queue, "benchling-webhook-0123456789abcdef.fifo");
  EXPECT_EQ(d.source_account, "123456789012");
  EXPECT_EQ(d.source_message_id, "orig-1");
  EXPECT_EQ(d.receives, 5) << "SQS's count less this listing's own receive";
  EXPECT_FALSE(d.receives_recorded);
  EXPECT_TRUE(d.last_error.empty());
  EXPECT_EQ(logs_command(d), "benchling-webhook logs --since 14d --filter '\"orig-1\"'");
  auto j = to_json(d);
  EXPECT_EQ(j.at("last_error"), nullptr);
  EXPECT_EQ(j.at("logs_command").as_string(), logs_command(d));

  std::ostringstream out;
  render_dead_letters(out, {d});
  EXPECT_NE(out.str().find("last error:  not recorded (SQS moved it); see logs: benchling-webhook logs"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("~5 receives"), std::string::npos) << out.str();
}

TEST(DeadLetterRecord, WithoutAnySourceItSaysNotRecorded) {
  aws::SqsMessage m;
  m.message_id = "x";
  auto d = read_dead_letter(m, "dlq.fifo", package_job);
  EXPECT_TRUE(d.source_queue.empty());
  std::ostringstream out;
  render_dead_letters(out, {d});
  EXPECT_NE(out.str().find("source:      not recorded"), std::string::npos) << out.str();
}

TEST(DeadLetterRecord, RendersOneBlockPerJob) {
  auto d = read_dead_letter(moved_by_consumer(), "the-dlq.fifo", package_job);
  std::ostringstream out;
  render_dead_letters(out, {d});
  EXPECT_EQ(out.str(),
            "dlq-1  (the-dlq.fifo)\n"
            "  job:         entry packaging, entry etr_1 (v2.entry.updated.fields)\n"
            "  group:       entry:etr_1\n"
            "  received:    2026-12-03T10:00:00Z; 5 receives\n"
            "  source:      benchling-webhook-0123456789abcdef.fifo\n"
            "  last error:  remote: Export failed\n");
}

TEST(DeadLetterRecord, UnreadableNumbersAreIgnored) {
  auto m = moved_by_consumer();
  m.message_attributes["bw-receives"] = "5x";
  m.message_attributes["bw-sent-at"] = "-1";
  auto d = read_dead_letter(m, "q", package_job);
  EXPECT_FALSE(d.receives_recorded);
  EXPECT_EQ(d.receives, 2);
  EXPECT_EQ(d.sent_ms, 1764756000000) << "falls back to the copy's SentTimestamp";
}

TEST(DeadLetterRecord, RedriveDedupIdIsStablePerCopyAndBounded) {
  DeadLetter d;
  d.message_id = "m-1";
  d.dead_letter_sent = "1764756000000";
  EXPECT_EQ(redrive_dedup_id(d), "redrive-m-1-1764756000000");
  DeadLetter later = d;
  later.dead_letter_sent = "1764756900000";
  EXPECT_NE(redrive_dedup_id(later), redrive_dedup_id(d));
  d.message_id = std::string(300, 'a');
  d.dead_letter_sent = std::string(300, '1');
  EXPECT_LE(redrive_dedup_id(d).size(), 128u);
}

TEST(DeadLetterRecord, OnlyTheDeploymentsQueuesTakeRedrivenJobs) {
  const std::string p = "benchling-webhook-0123456789abcdef";
  EXPECT_TRUE(is_deployment_queue(p + ".fifo", p));
  EXPECT_TRUE(is_deployment_queue(p + "-events", p));
  EXPECT_TRUE(is_deployment_queue(p + "-canvas.fifo", p));
  EXPECT_FALSE(is_deployment_queue(p + "0.fifo", p));
  EXPECT_FALSE(is_deployment_queue(p + "-", p));
  EXPECT_FALSE(is_deployment_queue("quilt-packager", p));
  EXPECT_FALSE(is_deployment_queue("x", ""));
}

TEST(DeadLetterRecord, ParsesSqsArns) {
  auto parsed = parse_sqs_arn("arn:aws:sqs:eu-west-1:123456789012:q.fifo");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->first, "q.fifo");
  EXPECT_EQ(parsed->second, "123456789012");
  EXPECT_FALSE(parse_sqs_arn("arn:aws:sns:eu-west-1:123456789012:q"));
  EXPECT_FALSE(parse_sqs_arn("arn:aws:sqs:eu-west-1:1234:q"));
  EXPECT_FALSE(parse_sqs_arn("arn:aws:sqs:eu-west-1:123456789012:"));
  EXPECT_FALSE(parse_sqs_arn("q"));
}

TEST(DeadLetterRecord, KindLabels) {
  EXPECT_EQ(kind_label("package"), "entry packaging");
  EXPECT_EQ(kind_label("canvas"), "canvas view");
  EXPECT_EQ(kind_label("package_event"), "package event");
  EXPECT_EQ(kind_label("???"), "unreadable message");
}

}  // namespace
}  // namespace bw::deploy
