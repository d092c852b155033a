#include "deploy/network_check.hpp"

#include <gtest/gtest.h>

namespace bw::deploy {
namespace {

using aws::Route;
using aws::RouteTable;
using aws::Subnet;

const aws::Vpc kVpc{"vpc-a", {"10.0.0.0/16", "100.64.0.0/20"}};

std::vector<Subnet> subnets() {
  return {{"subnet-1", "vpc-a", "us-east-1a", "10.0.1.0/24"},
          {"subnet-2", "vpc-a", "us-east-1b", "10.0.2.0/24"},
          {"subnet-3", "vpc-a", "us-east-1a", "10.0.3.0/24"},
          {"subnet-other", "vpc-b", "us-east-1c", "10.9.0.0/24"}};
}

RouteTable table(std::string id, std::vector<std::string> subnets, std::string target, bool main = false) {
  RouteTable t{std::move(id), main, std::move(subnets), {{"10.0.0.0/16", "local", "active"}}};
  if (!target.empty()) t.routes.push_back({"0.0.0.0/0", std::move(target), "active"});
  return t;
}

std::string detail(const core::Error& e, const std::string& key) {
  for (const auto& [k, v] : e.details) {
    if (k == key) return v;
  }
  return "<absent>";
}

TEST(NetworkCheck, NatRoutedSubnetsInTwoZonesPassWithTheVpcBlocks) {
  auto r = check_existing_network(kVpc, subnets(), {table("rtb-p", {"subnet-1", "subnet-2"}, "nat-1")},
                                  {"subnet-1", "subnet-2"}, false);
  ASSERT_TRUE(r) << r.error().to_text();
  EXPECT_EQ(r->cidr_blocks, kVpc.cidr_blocks);
  EXPECT_EQ(r->zones, (std::vector<std::string>{"us-east-1a", "us-east-1b"}));
  ASSERT_EQ(r->subnet_lines.size(), 2u);
  EXPECT_EQ(r->subnet_lines[0], "subnet-1 (us-east-1a): egress through NAT gateway nat-1");
}

TEST(NetworkCheck, AnUnassociatedSubnetUsesTheMainTable) {
  const std::vector<RouteTable> tables = {table("rtb-main", {}, "nat-main", true),
                                          table("rtb-none", {"subnet-2"}, "")};
  auto r = check_existing_network(kVpc, subnets(), tables, {"subnet-1", "subnet-2"}, false);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidConfig);
  EXPECT_EQ(detail(r.error(), "subnet-1"), "<absent>");  // main table: NAT, fine
  EXPECT_NE(detail(r.error(), "subnet-2").find("no route to the internet"), std::string::npos);
  EXPECT_NE(detail(r.error(), "subnet-2").find("rtb-none"), std::string::npos);
}

TEST(NetworkCheck, AnInternetGatewayNeedsPublicIps) {
  const std::vector<RouteTable> tables = {table("rtb-pub", {"subnet-1", "subnet-2"}, "igw-1")};
  auto without = check_existing_network(kVpc, subnets(), tables, {"subnet-1", "subnet-2"}, false);
  ASSERT_FALSE(without);
  EXPECT_NE(detail(without.error(), "subnet-1").find("no public IP"), std::string::npos);
  EXPECT_NE(without.error().suggestion.find("--assign-public-ip true"), std::string::npos);
  auto with = check_existing_network(kVpc, subnets(), tables, {"subnet-1", "subnet-2"}, true);
  ASSERT_TRUE(with);
  EXPECT_NE(with->subnet_lines[1].find("internet gateway igw-1"), std::string::npos);
}

TEST(NetworkCheck, BlackholesDoNotCountAndTheLabsOwnEgressIsSaidToBeUnchecked) {
  RouteTable dead = table("rtb-dead", {"subnet-1"}, "");
  dead.routes.push_back({"0.0.0.0/0", "nat-deleted", "blackhole"});
  const std::vector<RouteTable> tables = {dead, table("rtb-tgw", {"subnet-2"}, "tgw-1")};
  auto r = check_existing_network(kVpc, subnets(), tables, {"subnet-1", "subnet-2"}, false);
  ASSERT_FALSE(r);
  EXPECT_NE(detail(r.error(), "subnet-1").find("no route"), std::string::npos);
  EXPECT_EQ(detail(r.error(), "subnet-2"), "<absent>");
  auto ok = check_existing_network(kVpc, subnets(), {table("rtb-tgw", {"subnet-1", "subnet-2"}, "tgw-1")},
                                   {"subnet-1", "subnet-2"}, false);
  ASSERT_TRUE(ok);
  EXPECT_NE(ok->subnet_lines[0].find("not checked further"), std::string::npos);
}

TEST(NetworkCheck, EveryProblemIsListedAtOnce) {
  auto r = check_existing_network(kVpc, subnets(), {table("rtb-p", {"subnet-1"}, "nat-1")},
                                  {"subnet-1", "subnet-other", "subnet-missing"}, false);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("2 of the subnets"), std::string::npos);
  EXPECT_EQ(detail(r.error(), "subnet-other"), "is in vpc-b, not in vpc-a");
  EXPECT_EQ(detail(r.error(), "subnet-missing"), "not found");
}

TEST(NetworkCheck, OneZoneIsRefused) {
  auto r = check_existing_network(kVpc, subnets(), {table("rtb-p", {"subnet-1", "subnet-3"}, "nat-1")},
                                  {"subnet-1", "subnet-3"}, false);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("one Availability Zone (us-east-1a)"), std::string::npos);
}

TEST(NetworkCheck, AVpcWithoutIpv4IsRefused) {
  auto r = check_existing_network({"vpc-a", {}}, subnets(), {}, {"subnet-1", "subnet-2"}, false);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("no IPv4"), std::string::npos);
}

}  // namespace
}  // namespace bw::deploy
