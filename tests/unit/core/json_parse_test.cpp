#include "core/json_parse.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

TEST(ParseWholeJson, GivesTheValue) {
  auto p = parse_whole_json(R"({"a": [1, 2]})", 8);
  ASSERT_TRUE(p.value);
  EXPECT_EQ(p.value->at("a").as_array().size(), 2u);
  EXPECT_FALSE(p.error);
}

TEST(ParseWholeJson, SaysWhereItStoppedAndWhy) {
  auto bad = parse_whole_json(R"({"a": tru})", 8);
  EXPECT_FALSE(bad.value);
  EXPECT_TRUE(bad.error);
  EXPECT_EQ(bad.stopped_at, 6u);                             // at "tru": where the text stops being JSON
  EXPECT_FALSE(parse_whole_json(R"({"a": 1} x)", 8).value);  // nothing may follow the value
  EXPECT_FALSE(parse_whole_json("[[[[1]]]]", 3).value);      // too deep
  EXPECT_TRUE(parse_whole_json("[[[1]]]", 3).value);
}

}  // namespace
}  // namespace bw::core
