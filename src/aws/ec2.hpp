// aws/ec2.hpp: the EC2 reads deploy's pre-flight needs to judge an existing VPC (query protocol, version
// 2016-11-15, XML replies): the VPC's CIDR blocks, its subnets and their routes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct Vpc {
  std::string id;
  //! The IPv4 blocks associated with the VPC (the primary first); disassociated ones are left out.
  std::vector<std::string> cidr_blocks;
};

struct Subnet {
  std::string id;
  std::string vpc_id;
  std::string availability_zone;
  std::string cidr_block;
};

struct Route {
  std::string destination;  //!< destinationCidrBlock (IPv4), or the IPv6 / prefix-list destination
  //! What the route points at: an igw-, nat-, tgw-, eni-, pcx-, vpce-... id, or "local".
  std::string target;
  std::string state;  //!< active | blackhole
};

struct RouteTable {
  std::string id;
  bool main = false;                    //!< the VPC's main table: subnets without an association use it
  std::vector<std::string> subnet_ids;  //!< explicitly associated subnets
  std::vector<Route> routes;
};

//! Pure parsers of the replies, bounded (4 MiB, 1,000 items, fields clipped); an unreadable reply is
//! kRemote and never quoted.
core::Result<std::vector<Vpc>> parse_describe_vpcs(std::string_view xml);
core::Result<std::vector<Subnet>> parse_describe_subnets(std::string_view xml);
//! Also returns the reply's nextToken ("" when it is the last page).
core::Result<std::vector<RouteTable>> parse_describe_route_tables(std::string_view xml,
                                                                  std::string* next_token);

class Ec2 {
 public:
  explicit Ec2(AwsClient& client) : client_(client) {}

  //! DescribeVpcs of one VPC. InvalidVpcID.NotFound: kNotFound "VPC not found: <id>" naming the region.
  core::Result<Vpc> describe_vpc(const std::string& vpc_id);
  //! DescribeSubnets of the given ids (at most 200). A missing one: kNotFound with AWS's message, which
  //! names it, and what to check.
  core::Result<std::vector<Subnet>> describe_subnets(const std::vector<std::string>& subnet_ids);
  //! Every route table of the VPC (all pages, at most 20).
  core::Result<std::vector<RouteTable>> route_tables(const std::string& vpc_id);

 private:
  core::Result<std::string> call(std::string_view action,
                                 const std::vector<std::pair<std::string, std::string>>& params);

  AwsClient& client_;
};

}  // namespace bw::aws
