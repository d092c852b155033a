#include "backfill/job.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "benchling/envelope.hpp"
#include "queue/work_queue.hpp"

namespace bw::backfill {
namespace {

const core::SystemTime kAt = core::parse_iso8601("2026-12-03T16:00:00Z").value();

benchling::EntrySummary entry() {
  return {"etr_0uKCQZ8f", "EXP25000007", "quiltable", "2025-03-30T23:37:22.777296+00:00"};
}

TEST(BackfillJob, TheDedupIdIsTheEntryAndItsModifiedAt) {
  EXPECT_EQ(deduplication_id("etr_0uKCQZ8f", "2025-03-30T23:37:22.777296+00:00"),
            "backfill-etr_0uKCQZ8f-2025-03-30T23:37:22.777296+00:00");
  EXPECT_NE(deduplication_id("etr_1", "2025-03-30T23:37:22Z"),
            deduplication_id("etr_1", "2025-03-30T23:37:23Z"));
}

TEST(BackfillJob, AnIdSqsCannotTakeIsHashedStably) {
  const std::string long_id(200, 'a');
  const auto id = deduplication_id(long_id, "2025-03-30T23:37:22Z");
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(id, deduplication_id(long_id, "2025-03-30T23:37:22Z"));
  EXPECT_NE(id, deduplication_id(long_id, "2025-03-30T23:37:23Z"));
  const auto spaced = deduplication_id("etr 1", "x");
  EXPECT_EQ(spaced.size(), 64u);
  EXPECT_EQ(spaced.find(' '), std::string::npos);
}

TEST(BackfillJob, TheEnvelopeReadsAsAnEntryEventMarkedAsABackfill) {
  const std::string body = synthetic_envelope(entry(), kAt);
  auto env = benchling::parse_envelope(body).value();
  EXPECT_EQ(env.entry_id, "etr_0uKCQZ8f");
  EXPECT_EQ(env.event_type, "backfill");
  auto root = boost::json::parse(body).as_object();
  const auto& message = root.at("message").as_object();
  EXPECT_EQ(message.at("createdAt").as_string(), "2026-12-03T16:00:00Z");
  EXPECT_EQ(message.at("id").as_string(), "backfill-etr_0uKCQZ8f-2025-03-30T23:37:22.777296+00:00");
  const auto& marker = message.at("backfill").as_object();
  EXPECT_EQ(marker.at("queuedAt").as_string(), "2026-12-03T16:00:00Z");
  EXPECT_EQ(marker.at("entryModifiedAt").as_string(), "2025-03-30T23:37:22.777296+00:00");
  EXPECT_EQ(marker.at("displayId").as_string(), "EXP25000007");
}

TEST(BackfillJob, TheJobIsAWebhooksPackagingJob) {
  const queue::Job job = make_job(entry(), kAt);
  EXPECT_EQ(job.kind, queue::JobKind::kPackage);
  EXPECT_EQ(job.route, "event");
  EXPECT_EQ(job.group_id, "entry:etr_0uKCQZ8f");
  EXPECT_EQ(job.received_at, "2026-12-03T16:00:00Z");
  EXPECT_EQ(queue::deduplication_id(job), "backfill-etr_0uKCQZ8f-2025-03-30T23:37:22.777296+00:00");
  auto encoded = queue::encode_job(job);
  ASSERT_TRUE(encoded) << encoded.error().to_text();
  EXPECT_EQ(queue::decode_job(*encoded).value(), job);
}

}  // namespace
}  // namespace bw::backfill
