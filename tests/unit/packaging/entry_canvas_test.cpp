#include "packaging/entry_canvas.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace bw::packaging {
namespace {

boost::json::object entry(const char* days_json) {
  return boost::json::object{{"id", "etr_1"}, {"days", boost::json::parse(days_json)}};
}

TEST(EntryCanvas, TheFirstAppCanvasNoteNamesTheCanvas) {
  EXPECT_EQ(entry_canvas_id(entry(R"([{"notes":[{"type":"text","text":"x"}]},
      {"notes":[{"type":"app_canvas","canvasId":"cnvs_1"},{"type":"app_canvas","canvasId":"cnvs_2"}]}])")),
            "cnvs_1");
}

TEST(EntryCanvas, NoneWhenThereIsNoUsableAppCanvasNote) {
  EXPECT_EQ(entry_canvas_id(boost::json::object{}), std::nullopt);
  EXPECT_EQ(entry_canvas_id(entry(R"([{"notes":[{"type":"text","canvasId":"cnvs_x"}]}])")), std::nullopt);
  EXPECT_EQ(entry_canvas_id(entry(R"([{"notes":[{"type":"app_canvas","canvasId":""}]}])")), std::nullopt);
  EXPECT_EQ(entry_canvas_id(entry(R"([{"notes":[{"type":"app_canvas","canvasId":7}]}])")), std::nullopt);
  EXPECT_EQ(entry_canvas_id(entry(R"([1, {"notes":"x"}, {"notes":[null]}])")), std::nullopt);
  EXPECT_EQ(entry_canvas_id(entry(R"({"notes":[]})")), std::nullopt);
}

}  // namespace
}  // namespace bw::packaging
