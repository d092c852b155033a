#include <gtest/gtest.h>

#include "core/encoding.hpp"

namespace bw::core {
namespace {

TEST(HexDigitValue, ReadsEitherCase) {
  EXPECT_EQ(hex_digit_value('0'), 0);
  EXPECT_EQ(hex_digit_value('9'), 9);
  EXPECT_EQ(hex_digit_value('a'), 10);
  EXPECT_EQ(hex_digit_value('F'), 15);
}

TEST(HexDigitValue, IsMinusOneForAnythingElse) {
  for (char c : {'g', 'G', '/', ':', '@', '`', ' ', '\0'}) EXPECT_EQ(hex_digit_value(c), -1) << int(c);
}

}  // namespace
}  // namespace bw::core
