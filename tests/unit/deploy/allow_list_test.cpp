#include "deploy/allow_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bw::deploy {
namespace {

using Strings = std::vector<std::string>;

Strings parsed(std::string_view list) {
  auto r = parse_allow_list(list);
  EXPECT_TRUE(r) << list << ": " << (r ? "" : r.error().message);
  return r ? *r : Strings{};
}

TEST(AllowList, EmptyOrBlankListAllowsEverySource) {
  EXPECT_EQ(parsed(""), Strings{});
  EXPECT_EQ(parsed(" , ,\t"), Strings{});
}

TEST(AllowList, EntriesAreTrimmedEmptiesAndRepeatsDroppedOrderKept) {
  EXPECT_EQ(parsed(" 203.0.113.0/24 ,,10.1.2.3\t, 203.0.113.0/24,2001:db8::/32 "),
            (Strings{"203.0.113.0/24", "10.1.2.3", "2001:db8::/32"}));
}

TEST(AllowList, AcceptsAddressesAndCidrBlocksOfBothFamilies) {
  for (const char* entry :
       {"0.0.0.0/0", "255.255.255.255", "192.168.0.1/32", "10.0.0.0/8", "::", "::/0", "::1", "2001:db8::1",
        "2001:DB8:0:0:0:0:0:1/128", "fe80::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33/96", "1:2:3:4:5:6:192.0.2.1"}) {
    EXPECT_EQ(parsed(entry), Strings{entry});
  }
}

TEST(AllowList, RejectsMalformedEntriesStrictly) {
  for (const char* entry : {"256.0.0.1",
                            "1.2.3",
                            "1.2.3.4.5",
                            "01.2.3.4",
                            "1.2.3.4/33",
                            "1.2.3.4/",
                            "/24",
                            "1.2.3.4/024",
                            "1.2.3.4/-1",
                            "1.2.3.4/+8",
                            "1.2.3.-4",
                            "1..2.3",
                            "example.com",
                            "1.2.3.4 5.6.7.8",
                            "::1/129",
                            "1:2:3:4:5:6:7:8:9",
                            "1:2:3:4:5:6:7",
                            "1::2::3",
                            "12345::",
                            ":1::",
                            "1:",
                            "::1.2.3.4:5",
                            "1.2.3.4::",
                            "fe80::1%eth0",
                            "g::1",
                            "2001:db8::/32/1",
                            "*"}) {
    auto r = parse_allow_list(std::string("10.0.0.0/8,") + entry);
    ASSERT_FALSE(r) << entry;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidSecret) << entry;
    EXPECT_EQ(r.error().message, std::string("Invalid webhook_allow_list entry '") + entry + "'");
  }
}

TEST(AllowList, ErrorSuggestsTheAcceptedFormAndNamesTheField) {
  auto r = parse_allow_list("10.0.0.0/33");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().suggestion.find("CIDR"), std::string::npos);
  ASSERT_FALSE(r.error().details.empty());
  EXPECT_EQ(r.error().details[0], (std::pair<std::string, std::string>{"field", "webhook_allow_list"}));
}

TEST(AllowList, ErrorShowsAControlCharacterAsQuestionMarkAndCutsLongEntries) {
  auto r = parse_allow_list("1.2.3.4\n5");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "Invalid webhook_allow_list entry '1.2.3.4?5'");
  auto long_entry = parse_allow_list(std::string(500, 'x'));
  ASSERT_FALSE(long_entry);
  EXPECT_LT(long_entry.error().message.size(), 120u);
}

TEST(AllowList, MoreThanTheLimitIsRejected) {
  std::string list;
  for (std::size_t i = 0; i <= kMaxAllowListEntries; ++i) list += "10.0." + std::to_string(i) + ".0/24,";
  auto r = parse_allow_list(list);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidSecret);
  list = list.substr(0, list.rfind(',', list.size() - 2));  // exactly the limit
  EXPECT_EQ(parsed(list).size(), kMaxAllowListEntries);
}

TEST(IpBlock, ParsesBytesPrefixAndAlignment) {
  auto v4 = parse_ip_block("10.1.0.0/16");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(v4->prefix, 16);
  EXPECT_EQ(v4->bytes[1], 1);
  EXPECT_TRUE(v4->aligned());
  EXPECT_FALSE(parse_ip_block("10.1.0.1/16")->aligned());
  EXPECT_TRUE(parse_ip_block("10.1.0.1")->aligned());
  auto v6 = parse_ip_block("2001:db8::ff00/120");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->v6);
  EXPECT_EQ(v6->bytes[0], 0x20);
  EXPECT_EQ(v6->bytes[14], 0xff);
  EXPECT_TRUE(v6->aligned());
  EXPECT_FALSE(parse_ip_block("2001:db8::ff01/120")->aligned());
}

}  // namespace
}  // namespace bw::deploy
