#include "core/utf8.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

TEST(Utf8Prefix, KeepsTextWithinTheLimitWhole) {
  EXPECT_EQ(utf8_prefix("abc", 3), "abc");
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("", 0), "");
}

TEST(Utf8Prefix, CutsAsciiAtTheLimit) {
  EXPECT_EQ(utf8_prefix("abcdef", 4), "abcd");
  EXPECT_EQ(utf8_prefix("abc", 0), "");
}

TEST(Utf8Prefix, NeverSplitsACharacterThatStraddlesTheLimit) {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀: 1 + 2 + 3 + 4 bytes
  EXPECT_EQ(utf8_prefix(s, 1), "a");
  EXPECT_EQ(utf8_prefix(s, 2), "a");  // é would be cut after its first byte
  EXPECT_EQ(utf8_prefix(s, 3), "a\xC3\xA9");
  EXPECT_EQ(utf8_prefix(s, 5), "a\xC3\xA9");
  EXPECT_EQ(utf8_prefix(s, 6), "a\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(utf8_prefix(s, 9), "a\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(utf8_prefix(s, 10), s);
  EXPECT_EQ(utf8_prefix("\xE2\x82\xAC", 2), "");
}

}  // namespace
}  // namespace bw::core
