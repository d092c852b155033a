#include "cli/jobs_decode.hpp"

#include <gtest/gtest.h>

#include "queue/dead_letter_note.hpp"
#include "queue/job.hpp"

namespace bw::cli {
namespace {

TEST(JobsDecode, TheReaderAndTheWriterNameTheSameAttributes) {
  EXPECT_STREQ(deploy::kLastErrorAttribute, queue::kLastErrorAttribute);
  EXPECT_STREQ(deploy::kSourceQueueAttribute, queue::kSourceQueueAttribute);
  EXPECT_STREQ(deploy::kSourceMessageIdAttribute, queue::kSourceMessageIdAttribute);
  EXPECT_STREQ(deploy::kReceivesAttribute, queue::kReceivesAttribute);
  EXPECT_STREQ(deploy::kSentAtAttribute, queue::kSentAtAttribute);
  EXPECT_STREQ(deploy::kFirstReceivedAttribute, queue::kFirstReceivedAttribute);
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
