#include "core/json.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

long long epoch_ms(const std::optional<SystemTime>& t) {
  return t ? std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count() : -1;
}

TEST(Json, EpochSecondsAreRoundedToTheMillisecond) {
  auto obj = boost::json::parse(R"({"a":1717171717.25,"b":1700000000,"c":0.2135})").as_object();
  EXPECT_EQ(epoch_ms(get_epoch_seconds(obj, "a")), 1717171717250);
  EXPECT_EQ(epoch_ms(get_epoch_seconds(obj, "b")), 1700000000000);
  EXPECT_EQ(epoch_ms(get_epoch_seconds(obj, "c")), 214);
}

TEST(Json, EpochSecondsOutsideTheClockAreDroppedNotOverflowed) {
  // 9.3e9 s and 9.9e10 s are past 2262, where nanoseconds in 64 bits end (UB before).
  auto obj = boost::json::parse(R"({"late":9.3e9,"later":9.9e10,"neg":-1,"str":"1700000000","nan":null})")
                 .as_object();
  for (const char* key : {"late", "later", "neg", "str", "nan", "absent"}) {
    EXPECT_FALSE(get_epoch_seconds(obj, key)) << key;
  }
}

}  // namespace
}  // namespace bw::core
