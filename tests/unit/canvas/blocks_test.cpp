#include "canvas/blocks.hpp"

#include <gtest/gtest.h>

namespace bw::canvas {
namespace {

namespace json = boost::json;

TEST(Blocks, MarkdownHasExactlyTypeIdValue) {
  EXPECT_EQ(json::serialize(markdown("md1", "## Hi")), R"({"type":"MARKDOWN","id":"md1","value":"## Hi"})");
}

TEST(Blocks, ButtonHasExactlyTypeIdTextEnabled) {
  EXPECT_EQ(json::serialize(button("update-package-etr_1", "Update Package", false)),
            R"({"type":"BUTTON","id":"update-package-etr_1","text":"Update Package","enabled":false})");
  EXPECT_EQ(button("b", "t").at("enabled"), json::value(true));
}

TEST(Blocks, SectionHoldsItsChildrenInOrder) {
  json::array kids{button("a", "A"), button("b", "B", false)};
  EXPECT_EQ(json::serialize(section("button-section-main", kids)),
            R"({"type":"SECTION","id":"button-section-main","children":[)"
            R"({"type":"BUTTON","id":"a","text":"A","enabled":true},)"
            R"({"type":"BUTTON","id":"b","text":"B","enabled":false}]})");
}

TEST(Blocks, UpdateBodyAlwaysReenablesTheCanvas) {
  EXPECT_EQ(json::serialize(canvas_update_body({markdown("md1", "x")})),
            R"({"blocks":[{"type":"MARKDOWN","id":"md1","value":"x"}],"enabled":true})");
  EXPECT_EQ(json::serialize(canvas_update_body({})), R"({"blocks":[],"enabled":true})");
}

}  // namespace
}  // namespace bw::canvas
