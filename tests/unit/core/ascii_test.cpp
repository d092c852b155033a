#include "core/ascii.hpp"

#include <gtest/gtest.h>

namespace bw::core {
namespace {

TEST(Ascii, OnlyAsciiLettersAreFolded) {
  EXPECT_EQ(ascii_lower("Webhook-ID: AZ az 09 @[`{"), "webhook-id: az az 09 @[`{");
  // Bytes outside ASCII (here UTF-8 for "Ä" and "İ") are left alone, whatever the C locale says.
  EXPECT_EQ(ascii_lower("\xC3\x84\xC4\xB0"), "\xC3\x84\xC4\xB0");
}

TEST(Ascii, HeaderNamesCompareWithoutCase) {
  EXPECT_TRUE(iequals_ascii("Webhook-Signature", "webhook-signature"));
  EXPECT_FALSE(iequals_ascii("webhook-signature", "webhook-signatur"));
  EXPECT_FALSE(iequals_ascii("x-a", "x_a"));
  EXPECT_FALSE(iequals_ascii("\xC3\x84", "\xC3\xA4"));  // "Ä" and "ä" are not the same header name
  static_assert(iequals_ascii("Host", "hOST"));
}

}  // namespace
}  // namespace bw::core
