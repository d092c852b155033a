#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "service/intake.hpp"

namespace bw::service {
namespace {

// Intake reads buttons with canvas::button_action and canvas::parse_button_id, as the canvas worker does.
std::string click(const std::string& button) {
  const std::string body =
      R"({"message":{"type":"v2.canvas.userInteracted","canvasId":"cnvs_1","resourceId":"etr_1","buttonId":")" +
      button + R"("}})";
  auto env = benchling::parse_envelope(body);
  EXPECT_TRUE(env);
  IntakeDecision d = decide(WebhookRoute::kCanvas, *env);
  EXPECT_EQ(d.status, 202) << button;
  return std::string(boost::json::parse(d.body).as_object().at("message").as_string());
}

TEST(IntakeButtons, ThePageIsTheOneTheCanvasParserReads) {
  // A package name holding "-p": the page is the last "-p<n>-s<m>".
  EXPECT_EQ(click("next-page-linked-etr_1-pkg-exp-p1-p4-s15"), "Loading page 5...");
  EXPECT_EQ(click("prev-page-linked-etr_1-pkg-a--b-p0-s15"), "Loading page 1...");
  // Escaped entry ids (make_button_id writes '-' as %2D).
  EXPECT_EQ(click("next-page-etr%2D1-p6-s15"), "Loading page 7...");
}

TEST(IntakeButtons, APageButtonWhosePageDoesNotParseSaysPageOne) {
  EXPECT_EQ(click("next-page-etr_1-p2-sx"), "Loading page 1...");             // no "-s<digits>" suffix
  EXPECT_EQ(click("next-page-etr_1-p99999999999-s15"), "Loading page 1...");  // beyond kMaxPageNumber
  EXPECT_EQ(click("next-page-linked-etr_1-p3-s15"), "Loading page 1...");     // linked without "-pkg-"
}

// What a click asks for is decided by its action alone; a rest that does not parse is the worker's
// business (it answers with an error view), so intake still queues the job.
TEST(IntakeButtons, TheActionDecidesEvenWhenTheRestDoesNotParse) {
  EXPECT_EQ(click("browse-files-%ZZ"), "Loading files...");
  EXPECT_EQ(click("view-metadata-linked-etr_1"), "Loading metadata...");
  EXPECT_EQ(click("update-package-%ZZ"), "Package update started!");
  EXPECT_EQ(click("update-package"), "Canvas update initiated");  // no '-' after the action: unknown
}

}  // namespace
}  // namespace bw::service
