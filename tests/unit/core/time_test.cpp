#include "core/time.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

TEST(Time, Iso8601RoundTripsAndAcceptsFractionsAndOffsets) {
  auto t = parse_iso8601("2015-08-30T12:36:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso8601(*t), "2015-08-30T12:36:00Z");
  EXPECT_EQ(format_amz_date(*t), "20150830T123600Z");
  EXPECT_EQ(parse_iso8601("2015-08-30T12:36:00.123+00:00"), t);
}

TEST(Time, Iso8601RejectsMalformedAndOutOfRangeDates) {
  for (const char* bad : {"", "2015-08-30", "2015-13-01T00:00:00Z", "2015-08-30T24:00:00Z",
                          "2015-08-30T12:36:00+02:00", "2015-08-30T12:36:00Zjunk",
                          // Beyond what a nanosecond system_clock holds: used to overflow (found by fuzzing).
                          "6285-03-05T06:07:08Z", "1200-01-01T00:00:00Z"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

}  // namespace
}  // namespace bw::core
