#include "aws/ec2.hpp"

#include <gtest/gtest.h>

namespace bw::aws {
namespace {

// Shapes from the EC2 API reference (DescribeVpcs, DescribeSubnets, DescribeRouteTables examples).
constexpr const char* kVpcs = R"(<?xml version="1.0" encoding="UTF-8"?>
<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
  <vpcSet><item>
    <vpcId>vpc-0a60eb65b4EXAMPLE</vpcId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock>
    <cidrBlockAssociationSet>
      <item><cidrBlock>10.0.0.0/16</cidrBlock><associationId>vpc-cidr-assoc-1</associationId>
        <cidrBlockState><state>associated</state></cidrBlockState></item>
      <item><cidrBlock>100.64.0.0/20</cidrBlock><associationId>vpc-cidr-assoc-2</associationId>
        <cidrBlockState><state>associated</state></cidrBlockState></item>
      <item><cidrBlock>192.168.0.0/24</cidrBlock><associationId>vpc-cidr-assoc-3</associationId>
        <cidrBlockState><state>disassociated</state></cidrBlockState></item>
    </cidrBlockAssociationSet>
  </item></vpcSet>
</DescribeVpcsResponse>)";

TEST(Ec2, VpcBlocksArePrimaryFirstAndOnlyThoseInUse) {
  auto vpcs = parse_describe_vpcs(kVpcs);
  ASSERT_TRUE(vpcs) << vpcs.error().to_text();
  ASSERT_EQ(vpcs->size(), 1u);
  EXPECT_EQ(vpcs->at(0).id, "vpc-0a60eb65b4EXAMPLE");
  EXPECT_EQ(vpcs->at(0).cidr_blocks, (std::vector<std::string>{"10.0.0.0/16", "100.64.0.0/20"}));
}

TEST(Ec2, SubnetsCarryTheirVpcAndZone) {
  auto subnets =
      parse_describe_subnets(R"(<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <subnetSet>
      <item><subnetId>subnet-1</subnetId><vpcId>vpc-a</vpcId><cidrBlock>10.0.1.0/24</cidrBlock>
        <availabilityZone>us-east-1a</availabilityZone></item>
      <item><subnetId>subnet-2</subnetId><vpcId>vpc-a</vpcId><cidrBlock>10.0.2.0/24</cidrBlock>
        <availabilityZone>us-east-1b</availabilityZone></item>
    </subnetSet></DescribeSubnetsResponse>)");
  ASSERT_TRUE(subnets);
  ASSERT_EQ(subnets->size(), 2u);
  EXPECT_EQ(subnets->at(1).id, "subnet-2");
  EXPECT_EQ(subnets->at(1).vpc_id, "vpc-a");
  EXPECT_EQ(subnets->at(1).availability_zone, "us-east-1b");
}

TEST(Ec2, RouteTablesKnowTheirSubnetsMainFlagAndRouteTargets) {
  std::string token = "stale";
  auto tables = parse_describe_route_tables(
      R"(<DescribeRouteTablesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
    <routeTableSet>
      <item><routeTableId>rtb-main</routeTableId><vpcId>vpc-a</vpcId>
        <routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId>
          <state>active</state></item></routeSet>
        <associationSet><item><routeTableAssociationId>rtbassoc-1</routeTableAssociationId>
          <routeTableId>rtb-main</routeTableId><main>true</main></item></associationSet></item>
      <item><routeTableId>rtb-private</routeTableId><vpcId>vpc-a</vpcId>
        <routeSet>
          <item><destinationCidrBlock>0.0.0.0/0</destinationCidrBlock><natGatewayId>nat-1</natGatewayId>
            <state>active</state></item>
          <item><destinationIpv6CidrBlock>::/0</destinationIpv6CidrBlock>
            <egressOnlyInternetGatewayId>eigw-1</egressOnlyInternetGatewayId><state>active</state></item>
        </routeSet>
        <associationSet>
          <item><subnetId>subnet-1</subnetId><main>false</main></item>
          <item><subnetId>subnet-2</subnetId><main>false</main></item>
        </associationSet></item>
    </routeTableSet><nextToken>page-2</nextToken></DescribeRouteTablesResponse>)",
      &token);
  ASSERT_TRUE(tables) << tables.error().to_text();
  EXPECT_EQ(token, "page-2");
  ASSERT_EQ(tables->size(), 2u);
  EXPECT_TRUE(tables->at(0).main);
  EXPECT_TRUE(tables->at(0).subnet_ids.empty());
  EXPECT_FALSE(tables->at(1).main);
  EXPECT_EQ(tables->at(1).subnet_ids, (std::vector<std::string>{"subnet-1", "subnet-2"}));
  ASSERT_EQ(tables->at(1).routes.size(), 2u);
  EXPECT_EQ(tables->at(1).routes[0].destination, "0.0.0.0/0");
  EXPECT_EQ(tables->at(1).routes[0].target, "nat-1");
  EXPECT_EQ(tables->at(1).routes[1].destination, "::/0");
  EXPECT_EQ(tables->at(1).routes[1].target, "eigw-1");
}

TEST(Ec2, UnreadableRepliesAreRemoteErrorsThatNeverQuoteTheReply) {
  for (const char* bad : {"", "not xml", "<Other/>", "<DescribeVpcsResponse><vpcSet><item>"}) {
    auto r = parse_describe_vpcs(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::kRemote);
    EXPECT_NE(r.error().message.find("DescribeVpcs"), std::string::npos);
  }
  std::string many = "<DescribeSubnetsResponse><subnetSet>";
  for (int i = 0; i < 1001; ++i) many += "<item><subnetId>subnet-x</subnetId></item>";
  many += "</subnetSet></DescribeSubnetsResponse>";
  EXPECT_FALSE(parse_describe_subnets(many));
  std::string token;
  EXPECT_FALSE(parse_describe_route_tables("<DescribeRouteTablesResponse><nextToken>" +
                                               std::string(1025, 't') +
                                               "</nextToken></DescribeRouteTablesResponse>",
                                           &token));
}

}  // namespace
}  // namespace bw::aws
