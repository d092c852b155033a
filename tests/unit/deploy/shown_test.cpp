#include "deploy/detail/shown.hpp"

#include <gtest/gtest.h>

namespace bw::deploy::detail {
namespace {

TEST(Shown, KeepsAPrintableValueWhole) {
  EXPECT_EQ(shown("vpc-0123 abc"), "vpc-0123 abc");
  EXPECT_EQ(shown(""), "");
}

TEST(Shown, ShowsControlAndNonAsciiBytesAsQuestionMarks) {
  EXPECT_EQ(shown("a\nb\tc\x7f"), "a?b?c?");
  EXPECT_EQ(shown("caf\xC3\xA9"), "caf??");
  EXPECT_EQ(shown("\x1b[31mred"), "?[31mred");
}

TEST(Shown, CutsALongValueAndSaysSo) {
  EXPECT_EQ(shown("abcdef", 4), "abcd...");
  EXPECT_EQ(shown("abcd", 4), "abcd");
  EXPECT_EQ(shown(std::string(300, 'x')), std::string(200, 'x') + "...");
}

}  // namespace
}  // namespace bw::deploy::detail
