#include <gtest/gtest.h>

#include "core/json.hpp"

namespace bw::core {
namespace {

TEST(JsonClippedString, IsTheStringMemberWithinTheLimit) {
  auto obj = boost::json::parse(R"({"a":"hello"})").as_object();
  EXPECT_EQ(get_clipped_string(obj, "a", 5), "hello");
  EXPECT_EQ(get_clipped_string(obj, "a", 3), "hel");
}

TEST(JsonClippedString, IsEmptyWhenAbsentOrNotAString) {
  auto obj = boost::json::parse(R"({"n":1,"z":null,"o":{},"l":["x"]})").as_object();
  for (const char* key : {"n", "z", "o", "l", "absent"})
    EXPECT_EQ(get_clipped_string(obj, key, 10), "") << key;
}

TEST(JsonClippedString, NeverSplitsACharacter) {
  boost::json::object obj{{"m", "ab\xC3\xA9"}};  // "abé": é is 2 bytes
  EXPECT_EQ(get_clipped_string(obj, "m", 3), "ab");
  EXPECT_EQ(get_clipped_string(obj, "m", 4), "ab\xC3\xA9");
}

}  // namespace
}  // namespace bw::core
