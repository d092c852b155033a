#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "packaging/metadata.hpp"
#include "packaging/packager_message.hpp"

namespace bw::packaging {
namespace {

TEST(BackfillMarker, EntryJsonCarriesTheBackfillObjectAtTheTop) {
  MetadataInput in;
  in.entry_id = "etr_1";
  in.message = boost::json::parse(
                   R"({"type":"backfill","resourceId":"etr_1","createdAt":"2026-12-03T16:00:00Z",
                       "backfill":{"queuedAt":"2026-12-03T16:00:00Z","entryModifiedAt":"2025-01-01T00:00:00Z"}})")
                   .as_object();
  const auto o = entry_json(in);
  EXPECT_EQ(o.at("backfill").at("entryModifiedAt").as_string(), "2025-01-01T00:00:00Z");
  EXPECT_EQ(o.at("webhook_data").at("type").as_string(), "backfill");
}

TEST(BackfillMarker, AWebhooksEntryJsonHasNone) {
  MetadataInput in;
  in.entry_id = "etr_1";
  in.message = boost::json::parse(R"({"type":"v2.entry.created","resourceId":"etr_1"})").as_object();
  EXPECT_FALSE(entry_json(in).contains("backfill"));
}

TEST(BackfillMarker, TheCommitMessageSaysBackfill) {
  EXPECT_EQ(commit_message("backfill", "2026-12-03T16:00:00Z"), "Benchling backfill at 2026-12-03T16:00:00Z");
}

}  // namespace
}  // namespace bw::packaging
