#include <gtest/gtest.h>

#include "core/json.hpp"

namespace bw::core {
namespace {

TEST(JsonOptionalString, IsTheStringOrEmptyWhenAbsentOrNull) {
  auto obj = boost::json::parse(R"({"t":"abc","z":null,"e":""})").as_object();
  EXPECT_EQ(get_optional_string(obj, "t", 3).value(), "abc");
  EXPECT_EQ(get_optional_string(obj, "z", 3).value(), "");
  EXPECT_EQ(get_optional_string(obj, "e", 3).value(), "");
  EXPECT_EQ(get_optional_string(obj, "absent", 3).value(), "");
}

TEST(JsonOptionalString, RefusesAnotherKindOrOneTooLongNamingTheKey) {
  auto obj = boost::json::parse(R"({"t":"abcd","n":7,"l":["a"]})").as_object();
  auto too_long = get_optional_string(obj, "t", 3);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kRemote);
  EXPECT_EQ(too_long.error().message, "t is too long");
  EXPECT_EQ(get_optional_string(obj, "n", 3).error().message, "n is not a string");
  EXPECT_EQ(get_optional_string(obj, "l", 3).error().message, "l is not a string");
}

TEST(JsonOptionalArray, IsTheItemsOrNoneWhenAbsentOrNull) {
  auto obj = boost::json::parse(R"({"a":[1,"x"],"z":null,"e":[]})").as_object();
  auto a = get_optional_array(obj, "a");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[1], boost::json::value("x"));
  EXPECT_TRUE(get_optional_array(obj, "z")->empty());
  EXPECT_TRUE(get_optional_array(obj, "e")->empty());
  EXPECT_TRUE(get_optional_array(obj, "absent")->empty());
}

TEST(JsonOptionalArray, RefusesAnotherKindNamingTheKey) {
  auto obj = boost::json::parse(R"({"o":{},"s":"[]"})").as_object();
  auto o = get_optional_array(obj, "o");
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code, ErrorCode::kRemote);
  EXPECT_EQ(o.error().message, "o is not an array");
  EXPECT_EQ(get_optional_array(obj, "s").error().message, "s is not an array");
}

}  // namespace
}  // namespace bw::core
