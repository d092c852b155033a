#include "benchling/envelope.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace bw::benchling {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(BW_FIXTURES_DIR) + "/benchling-events/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Envelope, EntryEventTakesTheEntryFromResourceId) {
  auto env = parse_envelope(fixture("entry-created.json"));
  ASSERT_TRUE(env) << env.error().message;
  EXPECT_EQ(env->event_type, "v2.entry.created");
  EXPECT_EQ(env->event_id, "evt_dVhELK94T1Jy");
  EXPECT_EQ(env->entry_id, "8316d144-745d-4276-a389-f8afc8ff3115");
}

TEST(Envelope, CanvasEventsCarryCanvasAndEntry) {
  auto env = parse_envelope(fixture("canvas-created.json"));
  ASSERT_TRUE(env);
  EXPECT_EQ(env->event_type, "v2-beta.canvas.created");
  EXPECT_EQ(env->canvas_id, "cnvs_Q4mPJ34a");
  EXPECT_EQ(env->entry_id, "8316d144-745d-4276-a389-f8afc8ff3115");
}

TEST(Envelope, InitializedCarriesTheAppThatOwnsTheCanvasToCreate) {
  auto env = parse_envelope(fixture("canvas-initialized.json"));
  ASSERT_TRUE(env);
  EXPECT_EQ(env->event_type, "v2.canvas.initialized");
  EXPECT_EQ(env->app_id, "app_ap4JMzJp4a2hxOMD");
  auto no_app = parse_envelope(R"({"app":"app_1","message":{"type":"v2.canvas.initialized"}})");
  ASSERT_TRUE(no_app);
  EXPECT_EQ(no_app->app_id, "");  // not an object: ignored, as every non-conforming field
}

TEST(Envelope, ButtonWithoutDashIsTheEntryId) {
  auto env = parse_envelope(fixture("app-interaction.json"));
  ASSERT_TRUE(env);
  EXPECT_EQ(env->button_id, "etr_OtsAuzfT");
  EXPECT_EQ(env->entry_id, "etr_OtsAuzfT");
  EXPECT_EQ(env->canvas_id, "cnvs_dYQTvmId");
}

TEST(Envelope, ButtonWithEntryPartYieldsTheEntry) {
  auto env =
      parse_envelope(R"({"message":{"type":"v2.canvas.userInteracted","buttonId":"next-page-etr_ab12-p2-s15",
                                 "canvasId":"cnvs_1","resourceId":"etr_ignored"}})");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->entry_id, "etr_ab12");
}

TEST(Envelope, ButtonWithoutEntryPartFallsBackToTheLastPart) {
  auto env =
      parse_envelope(R"({"message":{"type":"v2.canvas.userInteracted","buttonId":"do-something-x1"}})");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->entry_id, "x1");
}

TEST(Envelope, EntryIdFallbackOrder) {
  auto env = parse_envelope(R"({"resourceId":"root","context":{"entryId":"ctx","canvasId":"cnvs_ctx"},
                                 "message":{"type":"v2.canvas.initialized","entryId":"msg_entry"}})");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->entry_id, "msg_entry");
  EXPECT_EQ(env->canvas_id, "cnvs_ctx");
  env = parse_envelope(R"({"resourceId":"root","message":{"resourceId":""}})");
  EXPECT_EQ(env->entry_id, "root");
  env = parse_envelope(R"({"context":{"entryId":"ctx"},"message":{}})");
  EXPECT_EQ(env->entry_id, "ctx");
  env = parse_envelope(R"({"message":{"type":"v2.app.installed"}})");
  EXPECT_FALSE(env->entry_id);
}

TEST(Envelope, NonJsonAndNonObjectBodiesAreRejectedWithTheirMessages) {
  auto env = parse_envelope("{not json");
  ASSERT_FALSE(env);
  EXPECT_EQ(env.error().message, "No JSON payload provided in request");
  EXPECT_EQ(parse_envelope("").error().message, "No JSON payload provided in request");
  EXPECT_EQ(parse_envelope("[1,2]").error().message, "Invalid JSON payload provided in request");
  EXPECT_EQ(parse_envelope(R"({"message":"x"})").error().message, "Invalid JSON payload provided in request");
}

TEST(Envelope, NonStringFieldsAreIgnoredNotTrusted) {
  auto env = parse_envelope(R"({"message":{"type":7,"resourceId":{"a":1},"canvasId":null}})");
  ASSERT_TRUE(env);
  EXPECT_EQ(env->event_type, "");
  EXPECT_FALSE(env->entry_id);
  EXPECT_EQ(env->canvas_id, "");
}

}  // namespace
}  // namespace bw::benchling
