#include "aws/ec2.hpp"
#include "aws/unreadable_reply.hpp"
#include "aws/xml_reply.hpp"

#include <pugixml.hpp>

namespace bw::aws {
namespace {

constexpr std::string_view kVersion = "2016-11-15";
constexpr std::size_t kMaxReplyBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxField = 256;  // ids, CIDRs, zone names, states
constexpr std::size_t kMaxItems = 1000;
constexpr std::size_t kMaxToken = 1024;
constexpr int kMaxPages = 20;

core::Error unreadable(std::string_view action, std::string_view why) {
  return unreadable_reply("EC2", "ec2", action, why);
}

core::Result<pugi::xml_node> load(pugi::xml_document& doc, std::string_view xml, std::string_view action) {
  return load_xml_reply(doc, xml, {"EC2", "ec2", action, kMaxReplyBytes});
}

std::string text(pugi::xml_node node, const char* name) {
  return xml_text(node, name, kMaxField);
}

// The <item>s of <set> under `parent`, or an error past kMaxItems.
core::Result<std::vector<pugi::xml_node>> items(pugi::xml_node parent, const char* set,
                                                std::string_view action) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node item : parent.child(set).children("item")) {
    if (out.size() == kMaxItems) return unreadable(action, std::string("more than 1000 items in ") + set);
    out.push_back(item);
  }
  return out;
}

}  // namespace

core::Result<std::vector<Vpc>> parse_describe_vpcs(std::string_view xml) {
  constexpr std::string_view kAction = "DescribeVpcs";
  pugi::xml_document doc;
  auto root = load(doc, xml, kAction);
  if (!root) return root.error();
  auto vpcs = items(*root, "vpcSet", kAction);
  if (!vpcs) return vpcs.error();
  std::vector<Vpc> out;
  for (pugi::xml_node item : *vpcs) {
    Vpc vpc;
    vpc.id = text(item, "vpcId");
    const std::string primary = text(item, "cidrBlock");
    if (!primary.empty()) vpc.cidr_blocks.push_back(primary);
    auto associations = items(item, "cidrBlockAssociationSet", kAction);
    if (!associations) return associations.error();
    for (pugi::xml_node a : *associations) {
      const std::string cidr = text(a, "cidrBlock");
      const std::string state = text(a.child("cidrBlockState"), "state");
      // Only blocks in use: a disassociated block admits nothing.
      if (cidr.empty() || (!state.empty() && state != "associated")) continue;
      if (std::find(vpc.cidr_blocks.begin(), vpc.cidr_blocks.end(), cidr) == vpc.cidr_blocks.end()) {
        vpc.cidr_blocks.push_back(cidr);
      }
    }
    out.push_back(std::move(vpc));
  }
  return out;
}

core::Result<std::vector<Subnet>> parse_describe_subnets(std::string_view xml) {
  constexpr std::string_view kAction = "DescribeSubnets";
  pugi::xml_document doc;
  auto root = load(doc, xml, kAction);
  if (!root) return root.error();
  auto subnets = items(*root, "subnetSet", kAction);
  if (!subnets) return subnets.error();
  std::vector<Subnet> out;
  for (pugi::xml_node item : *subnets) {
    out.push_back({text(item, "subnetId"), text(item, "vpcId"), text(item, "availabilityZone"),
                   text(item, "cidrBlock")});
  }
  return out;
}

core::Result<std::vector<RouteTable>> parse_describe_route_tables(std::string_view xml,
                                                                  std::string* next_token) {
  constexpr std::string_view kAction = "DescribeRouteTables";
  pugi::xml_document doc;
  auto root = load(doc, xml, kAction);
  if (!root) return root.error();
  auto tables = items(*root, "routeTableSet", kAction);
  if (!tables) return tables.error();
  std::vector<RouteTable> out;
  for (pugi::xml_node item : *tables) {
    RouteTable table;
    table.id = text(item, "routeTableId");
    auto associations = items(item, "associationSet", kAction);
    if (!associations) return associations.error();
    for (pugi::xml_node a : *associations) {
      if (text(a, "main") == "true") table.main = true;
      if (std::string subnet = text(a, "subnetId"); !subnet.empty()) table.subnet_ids.push_back(subnet);
    }
    auto routes = items(item, "routeSet", kAction);
    if (!routes) return routes.error();
    for (pugi::xml_node r : *routes) {
      Route route;
      for (const char* dest :
           {"destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"}) {
        route.destination = text(r, dest);
        if (!route.destination.empty()) break;
      }
      for (const char* target : {"natGatewayId", "gatewayId", "transitGatewayId", "networkInterfaceId",
                                 "vpcPeeringConnectionId", "instanceId", "egressOnlyInternetGatewayId"}) {
        route.target = text(r, target);
        if (!route.target.empty()) break;
      }
      route.state = text(r, "state");
      table.routes.push_back(std::move(route));
    }
    out.push_back(std::move(table));
  }
  if (next_token) {
    std::string_view token = root->child_value("nextToken");
    if (token.size() > kMaxToken) return unreadable(kAction, "nextToken is too long");
    *next_token = std::string(token);
  }
  return out;
}

core::Result<std::string> Ec2::call(std::string_view action,
                                    const std::vector<std::pair<std::string, std::string>>& params) {
  http::Request req = query_protocol(action, kVersion, params);
  req.max_response_bytes = kMaxReplyBytes;
  auto reply = client_.call("ec2", "ec2", std::move(req), action);
  if (!reply) return reply.error().with("Region", client_.region());
  if (reply->error) return to_core_error(*reply->error, action).with("Region", client_.region());
  return std::move(reply->response.body);
}

core::Result<Vpc> Ec2::describe_vpc(const std::string& vpc_id) {
  auto body = call("DescribeVpcs", {{"VpcId.1", vpc_id}});
  if (!body && body.error().code == core::ErrorCode::kNotFound) {
    return core::make_error(core::ErrorCode::kNotFound, "VPC not found: " + vpc_id,
                            "Check --vpc-id: the VPC must be in the Quilt stack's account and region")
        .with("Region", client_.region());
  }
  if (!body) return body.error();
  auto vpcs = parse_describe_vpcs(*body);
  if (!vpcs) return vpcs.error();
  for (auto& vpc : *vpcs) {
    if (vpc.id == vpc_id) return std::move(vpc);
  }
  return core::make_error(core::ErrorCode::kNotFound, "VPC not found: " + vpc_id,
                          "Check --vpc-id: the VPC must be in the Quilt stack's account and region")
      .with("Region", client_.region());
}

core::Result<std::vector<Subnet>> Ec2::describe_subnets(const std::vector<std::string>& subnet_ids) {
  std::vector<std::pair<std::string, std::string>> params;
  for (std::size_t i = 0; i < subnet_ids.size() && i < 200; ++i) {
    params.emplace_back("SubnetId." + std::to_string(i + 1), subnet_ids[i]);
  }
  auto body = call("DescribeSubnets", params);
  if (!body && body.error().code == core::ErrorCode::kNotFound) {
    core::Error e = body.error();  // AWS's message names the subnet
    e.suggestion = "Check --subnet-ids: every subnet must be in the VPC given with --vpc-id";
    return e;
  }
  if (!body) return body.error();
  return parse_describe_subnets(*body);
}

core::Result<std::vector<RouteTable>> Ec2::route_tables(const std::string& vpc_id) {
  std::vector<RouteTable> out;
  std::string token;
  for (int page = 0; page < kMaxPages; ++page) {
    std::vector<std::pair<std::string, std::string>> params = {{"Filter.1.Name", "vpc-id"},
                                                               {"Filter.1.Value.1", vpc_id}};
    if (!token.empty()) params.emplace_back("NextToken", token);
    auto body = call("DescribeRouteTables", params);
    if (!body) return body.error();
    auto tables = parse_describe_route_tables(*body, &token);
    if (!tables) return tables.error();
    for (auto& t : *tables) out.push_back(std::move(t));
    if (token.empty()) return out;
  }
  return unreadable("DescribeRouteTables", "more than 20 pages of route tables");
}

}  // namespace bw::aws
