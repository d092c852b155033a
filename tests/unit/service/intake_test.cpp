#include "service/intake.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bw::service {
namespace {

IntakeDecision decide_json(WebhookRoute route, const char* body) {
  auto env = benchling::parse_envelope(body);
  EXPECT_TRUE(env);
  return decide(route, *env);
}

//! A member of the serialized answer (which must be a JSON object).
std::string str(const std::string& body, const char* key) {
  return std::string(boost::json::parse(body).as_object().at(key).as_string());
}

TEST(Intake, SupportedEntryEventsBecomePackageJobsGroupedByEntry) {
  for (const char* type : {"v2.entry.created", "v2.entry.updated.fields", "v2.entry.updated.reviewRecord"}) {
    std::string body = std::string(R"({"message":{"type":")") + type + R"(","resourceId":"etr_1"}})";
    IntakeDecision d = decide_json(WebhookRoute::kEvent, body.c_str());
    EXPECT_EQ(d.status, 200) << type;
    EXPECT_EQ(str(d.body, "entry_id"), "etr_1");
    EXPECT_EQ(str(d.body, "status"), "ACCEPTED");
    ASSERT_TRUE(d.job);
    EXPECT_EQ(d.job->kind, queue::JobKind::kPackage);
    EXPECT_EQ(d.job->group_id, "entry:etr_1");
  }
}

TEST(Intake, UnsupportedEventTypesAreIgnoredWithoutAJob) {
  IntakeDecision d = decide_json(WebhookRoute::kEvent, R"({"message":{"type":"v2.request.created"}})");
  EXPECT_EQ(d.status, 200);
  EXPECT_EQ(str(d.body, "status"), "ignored");
  EXPECT_EQ(str(d.body, "message"), "Event type v2.request.created not processed");
  EXPECT_FALSE(d.job);
}

TEST(Intake, EntryEventWithoutEntryIs400) {
  IntakeDecision d = decide_json(WebhookRoute::kEvent, R"({"message":{"type":"v2.entry.created"}})");
  EXPECT_EQ(d.status, 400);
  EXPECT_EQ(str(d.body, "error"), "entry_id is required and could not be extracted from payload");
  EXPECT_FALSE(d.job);
}

TEST(Intake, LifecycleEventsAreAnsweredWithNoJob) {
  struct Case {
    const char* type;
    const char* status;
    const char* message;
  } cases[] = {{"v2.app.installed", "success", "App installed successfully"},
               {"v2.app.activateRequested", "activated", "App activated successfully"},
               {"v2.app.deactivated", "success", "App deactivated successfully"},
               {"v2-beta.app.configuration.updated", "success", "Configuration updated successfully"},
               {"v2.app.other", "ignored", "Unknown event type: v2.app.other"}};
  for (const auto& c : cases) {
    std::string body = std::string(R"({"message":{"type":")") + c.type + R"("}})";
    IntakeDecision d = decide_json(WebhookRoute::kLifecycle, body.c_str());
    EXPECT_EQ(d.status, 200);
    EXPECT_EQ(str(d.body, "status"), c.status);
    EXPECT_EQ(str(d.body, "message"), c.message);
    EXPECT_FALSE(d.job);
  }
  EXPECT_EQ(str(decide_json(WebhookRoute::kLifecycle, "{}").body, "message"), "Unknown event type: None");
}

TEST(Intake, CanvasCreatedBecomesACanvasJobGroupedByCanvas) {
  IntakeDecision d =
      decide_json(WebhookRoute::kCanvas,
                  R"({"message":{"type":"v2.canvas.created","canvasId":"cnvs_1","resourceId":"etr_1"}})");
  EXPECT_EQ(d.status, 202);
  EXPECT_EQ(str(d.body, "message"), "Canvas update initiated");
  ASSERT_TRUE(d.job);
  EXPECT_EQ(d.job->kind, queue::JobKind::kCanvas);
  EXPECT_EQ(d.job->group_id, "canvas:cnvs_1");
}

TEST(Intake, CanvasInitializedWithoutCanvasIdGroupsByEntry) {
  IntakeDecision d = decide_json(WebhookRoute::kCanvas,
                                 R"({"message":{"type":"v2.canvas.initialized","resourceId":"etr_9"}})");
  ASSERT_TRUE(d.job);
  EXPECT_EQ(d.job->group_id, "entry:etr_9");
  d = decide_json(WebhookRoute::kCanvas, R"({"message":{"type":"v2.canvas.initialized"}})");
  EXPECT_EQ(d.status, 400);
}

TEST(Intake, ButtonsMapToTheirMessagesAndGroups) {
  struct Case {
    const char* button;
    const char* message;
    queue::JobKind kind;
    const char* group;
  } cases[] = {
      {"browse-files-etr_1-p0-s15", "Loading files...", queue::JobKind::kCanvas, "canvas:cnvs_1"},
      {"next-page-etr_1-p2-s15", "Loading page 3...", queue::JobKind::kCanvas, "canvas:cnvs_1"},
      {"prev-page-etr_1-p0-s15", "Loading page 1...", queue::JobKind::kCanvas, "canvas:cnvs_1"},
      {"back-to-package-etr_1", "Returning to package view...", queue::JobKind::kCanvas, "canvas:cnvs_1"},
      {"view-metadata-etr_1-p1-s15", "Loading metadata...", queue::JobKind::kCanvas, "canvas:cnvs_1"},
      {"browse-linked-etr_1-pkg-a--b-p0-s15", "Loading files...", queue::JobKind::kCanvas, "canvas:cnvs_1"},
      {"next-page-linked-etr_1-pkg-a--b-p4-s15", "Loading page 5...", queue::JobKind::kCanvas,
       "canvas:cnvs_1"},
      {"update-package-etr_1", "Package update started!", queue::JobKind::kPackage, "entry:etr_1"},
      {"my_button_id", "Canvas update initiated", queue::JobKind::kCanvas, "canvas:cnvs_1"},
  };
  for (const auto& c : cases) {
    std::string body =
        std::string(R"({"message":{"type":"v2.canvas.userInteracted","canvasId":"cnvs_1","buttonId":")") +
        c.button + R"("}})";
    IntakeDecision d = decide_json(WebhookRoute::kCanvas, body.c_str());
    EXPECT_EQ(d.status, 202) << c.button;
    EXPECT_EQ(str(d.body, "message"), c.message) << c.button;
    ASSERT_TRUE(d.job) << c.button;
    EXPECT_EQ(d.job->kind, c.kind) << c.button;
    EXPECT_EQ(d.job->group_id, c.group) << c.button;
  }
}

TEST(Intake, CanvasEventsPostedToEventAreCanvasJobs) {
  IntakeDecision d =
      decide_json(WebhookRoute::kEvent,
                  R"({"message":{"type":"v2.canvas.created","canvasId":"cnvs_1","resourceId":"etr_1"}})");
  EXPECT_EQ(d.status, 202);
  ASSERT_TRUE(d.job);
  EXPECT_EQ(d.job->kind, queue::JobKind::kCanvas);
}

TEST(Intake, GroupIdsAreValidSqsGroupIds) {
  EXPECT_EQ(group_id("entry:", "etr_1"), "entry:etr_1");
  std::string odd = group_id("entry:", "has space");
  EXPECT_EQ(odd.rfind("entry:sha256-", 0), 0u);
  EXPECT_EQ(odd, group_id("entry:", "has space"));  // stable: the same entry still groups together
  EXPECT_LE(group_id("canvas:", std::string(500, 'x')).size(), 128u);
}

}  // namespace
}  // namespace bw::service
