#include "core/ascii.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

TEST(Ascii, LowersAsciiLettersOnly) {
  EXPECT_EQ(ascii_lower("HTTPS://Acme.Benchling.COM/x-Y_z"), "https://acme.benchling.com/x-y_z");
  EXPECT_EQ(ascii_lower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");  // "ÉTÉ": UTF-8 bytes untouched
  EXPECT_EQ(ascii_lower('@'), '@');
  EXPECT_EQ(ascii_lower('['), '[');
  EXPECT_EQ(ascii_lower('Z'), 'z');
}

TEST(Ascii, ComparesButForCase) {
  EXPECT_TRUE(ascii_iequals("Bearer", "bEARER"));
  EXPECT_FALSE(ascii_iequals("Bearer", "Bearer "));
  EXPECT_FALSE(ascii_iequals("\xC3\x89", "\xC3\xA9"));  // É and é differ beyond ASCII
  EXPECT_TRUE(ascii_iequals("", ""));
}

TEST(Ascii, TellsAPrefixButForCase) {
  EXPECT_TRUE(ascii_istarts_with("HTTPS://sqs", "https://"));
  EXPECT_TRUE(ascii_istarts_with("http", "http"));
  EXPECT_FALSE(ascii_istarts_with("htt", "http"));
  EXPECT_FALSE(ascii_istarts_with("ftp://x", "http://"));
}

TEST(Ascii, TrimsWhiteSpaceAtBothEndsOnly) {
  EXPECT_EQ(ascii_trim(" \t\r\n\f\vtoken x\n\v"), "token x");
  EXPECT_EQ(ascii_trim("a b"), "a b");
  EXPECT_EQ(ascii_trim(" \n "), "");
  EXPECT_EQ(ascii_trim(""), "");
  EXPECT_EQ(ascii_trim("\xC2\xA0x\xC2\xA0"), "\xC2\xA0x\xC2\xA0");  // no-break space is not ASCII
}

}  // namespace
}  // namespace bw::core
