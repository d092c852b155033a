// deploy/template_network.cpp: VPC, security group and the internal Network Load Balancer.
#include <cassert>
#include <cstdint>

#include "deploy/allow_list.hpp"
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy::detail {
namespace {

namespace json = boost::json;

constexpr const char* kHealthCheckPath = "/health/ready";

json::array name_tag(std::string_view deployment) {
  return json::array{json::object{{"Key", "Name"}, {"Value", deployment}}};
}

// The two subnets of a created VPC: /24s when the VPC is /23 or larger, else its two halves.
std::vector<std::string> subnet_cidrs(std::string_view vpc_cidr) {
  const auto block = parse_ip_block(vpc_cidr);
  assert(block && !block->v6 && block->prefix >= 16 && block->prefix <= 27);  // validate_options checked
  const int prefix = block->prefix < 24 ? 24 : block->prefix + 1;
  std::uint32_t base = 0;
  for (int i = 0; i < 4; ++i) base = base << 8 | block->bytes[i];
  std::vector<std::string> out;
  for (std::uint32_t i = 0; i < 2; ++i) {
    const std::uint32_t net = base + (i << (32 - prefix));
    out.push_back(std::to_string(net >> 24) + "." + std::to_string(net >> 16 & 0xff) + "." +
                  std::to_string(net >> 8 & 0xff) + "." + std::to_string(net & 0xff) + "/" +
                  std::to_string(prefix));
  }
  return out;
}

void add_vpc(json::object& resources, const TemplateOptions& o, std::string_view deployment, Network& net) {
  resources[kVpc] = resource("AWS::EC2::VPC", {{"CidrBlock", o.vpc_cidr},
                                               {"EnableDnsSupport", true},
                                               {"EnableDnsHostnames", true},
                                               {"Tags", name_tag(deployment)}});
  resources["InternetGateway"] = resource("AWS::EC2::InternetGateway", {{"Tags", name_tag(deployment)}});
  resources[kGatewayAttachment] =
      resource("AWS::EC2::VPCGatewayAttachment",
               {{"VpcId", cfn_ref(kVpc)}, {"InternetGatewayId", cfn_ref("InternetGateway")}});
  resources["PublicRouteTable"] =
      resource("AWS::EC2::RouteTable", {{"VpcId", cfn_ref(kVpc)}, {"Tags", name_tag(deployment)}});
  auto route = resource("AWS::EC2::Route", {{"RouteTableId", cfn_ref("PublicRouteTable")},
                                            {"DestinationCidrBlock", "0.0.0.0/0"},
                                            {"GatewayId", cfn_ref("InternetGateway")}});
  route["DependsOn"] = kGatewayAttachment;
  resources[kDefaultRoute] = std::move(route);
  net.service_depends_on.push_back(kDefaultRoute);

  const auto cidrs = subnet_cidrs(o.vpc_cidr);
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    const std::string subnet = "PublicSubnet" + std::to_string(i + 1);
    const std::string association = subnet + "RouteTableAssociation";
    resources[subnet] = resource(
        "AWS::EC2::Subnet",
        {{"VpcId", cfn_ref(kVpc)},
         {"CidrBlock", cidrs[i]},
         // The region's first two AZs ("" = this region), resolved by CloudFormation: no AZ name baked in.
         {"AvailabilityZone", json::object{{"Fn::Select", json::array{i, json::object{{"Fn::GetAZs", ""}}}}}},
         {"Tags", name_tag(deployment)}});
    resources[association] =
        resource("AWS::EC2::SubnetRouteTableAssociation",
                 {{"SubnetId", cfn_ref(subnet)}, {"RouteTableId", cfn_ref("PublicRouteTable")}});
    net.subnets.push_back(cfn_ref(subnet));
    net.service_depends_on.push_back(association);
  }
  net.vpc_id = cfn_ref(kVpc);
}

}  // namespace

Network add_network(json::object& resources, const TemplateOptions& o, std::string_view deployment) {
  Network net;
  if (o.vpc_id.empty()) {
    add_vpc(resources, o, deployment, net);
    // No NAT gateway in the created VPC: a public IP is the tasks' only way out (AWS APIs, Benchling).
    net.assign_public_ip = o.assign_public_ip.value_or(true);
  } else {
    net.vpc_id = o.vpc_id;
    for (const auto& s : o.subnet_ids) net.subnets.emplace_back(s);
    net.assign_public_ip = o.assign_public_ip.value_or(false);
  }

  // The NLB has no security group and does not preserve client IPs, so traffic (and its health checks)
  // reaches the tasks from the NLB's private addresses, inside the VPC's blocks (any of them: the NLB sits
  // in the given subnets, which may be carved from a secondary block).
  json::array ingress;
  for (const auto& block : o.vpc_id.empty() ? std::vector<std::string>{o.vpc_cidr} : o.vpc_cidr_blocks) {
    ingress.push_back(json::object{{"IpProtocol", "tcp"},
                                   {"FromPort", kContainerPort},
                                   {"ToPort", kContainerPort},
                                   {"CidrIp", block},
                                   {"Description", "NLB traffic and health checks"}});
  }
  resources[kTaskSecurityGroup] = resource(
      "AWS::EC2::SecurityGroup",
      {{"GroupDescription",
        "benchling-webhook tasks: port " + std::to_string(kContainerPort) + " from the VPC"},
       {"VpcId", net.vpc_id},
       {"SecurityGroupIngress", std::move(ingress)},
       {"SecurityGroupEgress",
        json::array{json::object{
            {"IpProtocol", "-1"}, {"CidrIp", "0.0.0.0/0"}, {"Description", "AWS APIs and Benchling"}}}},
       {"Tags", name_tag(deployment)}});

  resources[kLoadBalancer] = resource(
      "AWS::ElasticLoadBalancingV2::LoadBalancer",
      {{"Type", "network"},
       {"Scheme", "internal"},
       {"Subnets", net.subnets},
       {"LoadBalancerAttributes",
        json::array{json::object{{"Key", "load_balancing.cross_zone.enabled"}, {"Value", "true"}}}}});

  resources[kTargetGroup] =
      resource("AWS::ElasticLoadBalancingV2::TargetGroup",
               {{"Protocol", "TCP"},
                {"Port", kContainerPort},
                {"TargetType", "ip"},
                {"VpcId", net.vpc_id},
                {"HealthCheckEnabled", true},
                {"HealthCheckProtocol", "HTTP"},
                {"HealthCheckPath", kHealthCheckPath},
                {"HealthCheckPort", "traffic-port"},
                {"HealthCheckIntervalSeconds", 30},
                {"HealthCheckTimeoutSeconds", 10},
                {"HealthyThresholdCount", 2},
                {"UnhealthyThresholdCount", 3},
                {"Matcher", json::object{{"HttpCode", "200"}}},
                {"TargetGroupAttributes",
                 json::array{json::object{{"Key", "deregistration_delay.timeout_seconds"}, {"Value", "30"}},
                             json::object{{"Key", "preserve_client_ip.enabled"}, {"Value", "false"}}}}});

  resources[kListener] =
      resource("AWS::ElasticLoadBalancingV2::Listener",
               {{"LoadBalancerArn", cfn_ref(kLoadBalancer)},
                {"Port", 80},
                {"Protocol", "TCP"},
                {"DefaultActions",
                 json::array{json::object{{"Type", "forward"}, {"TargetGroupArn", cfn_ref(kTargetGroup)}}}}});
  return net;
}

}  // namespace bw::deploy::detail
