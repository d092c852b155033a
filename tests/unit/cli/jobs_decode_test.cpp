#include "cli/jobs_decode.hpp"

#include <gtest/gtest.h>

#include "aws/sqs.hpp"
#include "deploy/dead_letter_record.hpp"
#include "queue/dead_letter_note.hpp"
#include "queue/job.hpp"

namespace bw::cli {
namespace {

TEST(JobsDecode, WhatTheConsumerNotesOnADeadLetterIsWhatJobsReadsBack) {
  aws::SqsMessage failed;  // as the consumer received it from the work queue, on its last receive
  failed.message_id = "src-1";
  failed.attributes = {{"ApproximateReceiveCount", "5"},
                       {"SentTimestamp", "1764752400000"},
                       {"ApproximateFirstReceiveTimestamp", "1764752400500"}};
  const auto error = core::make_error(core::ErrorCode::kRemote, "Export failed", "Retry later");
  // The copy in the dead-letter queue: new id and timestamps, the consumer's notes as its attributes.
  aws::SqsMessage copy;
  copy.message_id = "dlq-1";
  copy.attributes = {{"SentTimestamp", "1764756000000"}, {"ApproximateReceiveCount", "1"}};
  copy.message_attributes =
      queue::dead_letter_attributes(failed, "benchling-webhook-0123456789abcdef.fifo", error);

  auto d = deploy::read_dead_letter(copy, "benchling-webhook-0123456789abcdef-dlq.fifo",
                                    describe_dead_letter_body);
  EXPECT_EQ(d.source_queue, "benchling-webhook-0123456789abcdef.fifo");
  EXPECT_EQ(d.source_message_id, "src-1");
  EXPECT_EQ(d.receives, 5);
  EXPECT_TRUE(d.receives_recorded);
  EXPECT_EQ(d.sent_ms, 1764752400000);
  EXPECT_EQ(d.first_received_ms, 1764752400500);
  EXPECT_EQ(d.last_error, "remote: Export failed");
}

std::string encoded(queue::JobKind kind, std::string group, std::string envelope,
                    std::string canvas_id = "") {
  queue::Job job;
  job.kind = kind;
  job.route = "event";
  job.webhook_id = "wh_1";
  job.received_at = "2026-12-03T10:00:00Z";
  job.group_id = std::move(group);
  job.envelope = std::move(envelope);
  job.canvas_id = std::move(canvas_id);
  return queue::encode_job(job).value();
}

TEST(JobsDecode, APackagingJobNamesItsEntryAndEventType) {
  auto s =
      describe_dead_letter_body(encoded(queue::JobKind::kPackage, "entry:etr_1",
                                        R"({"message":{"type":"v2.entry.created","resourceId":"etr_1"}})"));
  EXPECT_EQ(s.kind, "package");
  EXPECT_EQ(s.entry_id, "etr_1");
  EXPECT_EQ(s.event_type, "v2.entry.created");
  EXPECT_EQ(s.received_at, "2026-12-03T10:00:00Z");
  EXPECT_EQ(s.canvas_id, "");
}

TEST(JobsDecode, ACanvasJobNamesItsCanvas) {
  auto s = describe_dead_letter_body(encoded(
      queue::JobKind::kCanvas, "canvas:cnvs_1",
      R"({"message":{"type":"v2.canvas.userInteracted","canvasId":"cnvs_1","buttonId":"browse-files-etr_9"}})"));
  EXPECT_EQ(s.kind, "canvas");
  EXPECT_EQ(s.canvas_id, "cnvs_1");
  EXPECT_EQ(s.entry_id, "etr_9");
  EXPECT_EQ(s.event_type, "v2.canvas.userInteracted");
}

TEST(JobsDecode, TheGroupNamesTheEntryWhenTheEnvelopeDoesNot) {
  auto s = describe_dead_letter_body(encoded(queue::JobKind::kPackage, "entry:etr_7", R"({"message":{}})"));
  EXPECT_EQ(s.entry_id, "etr_7");
}

TEST(JobsDecode, APackageEventNamesItsPackage) {
  auto s = describe_dead_letter_body(
      R"({"source":"com.quiltdata","detail-type":"package-revision","detail":{"bucket":"b","handle":"benchling/EXP1","topHash":"abc"}})");
  EXPECT_EQ(s.kind, "package_event");
  EXPECT_EQ(s.package, "benchling/EXP1");
  EXPECT_EQ(s.event_type, "package-revision");
}

TEST(JobsDecode, AnythingElseIsUnreadable) {
  EXPECT_EQ(describe_dead_letter_body("not json").kind, "unreadable");
  EXPECT_EQ(describe_dead_letter_body(R"({"v":2})").kind, "unreadable");
}

}  // namespace
}  // namespace bw::cli
