#include "deploy/network_check.hpp"

#include <algorithm>
#include <optional>

namespace bw::deploy {
namespace {

const aws::RouteTable* table_of(const std::string& subnet_id, const std::vector<aws::RouteTable>& tables) {
  for (const auto& t : tables) {
    if (std::find(t.subnet_ids.begin(), t.subnet_ids.end(), subnet_id) != t.subnet_ids.end()) return &t;
  }
  for (const auto& t : tables) {
    if (t.main) return &t;
  }
  return nullptr;
}

const aws::Route* default_route(const aws::RouteTable& table) {
  for (const auto& r : table.routes) {
    if (r.destination == "0.0.0.0/0" && r.state != "blackhole") return &r;
  }
  return nullptr;
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

//! How the subnet reaches Benchling and AWS, or (as an error string) why it cannot.
struct Egress {
  std::optional<std::string> how;
  std::string problem;
};

Egress egress_of(const aws::Subnet& subnet, const std::vector<aws::RouteTable>& tables, bool public_ip) {
  const aws::RouteTable* table = table_of(subnet.id, tables);
  if (table == nullptr) return {std::nullopt, "no route table (neither associated nor a main table)"};
  const aws::Route* route = default_route(*table);
  if (route == nullptr) {
    return {std::nullopt, "no route to the internet (0.0.0.0/0) in route table " + table->id +
                              ": the tasks could not reach Benchling or AWS"};
  }
  const std::string& to = route->target;
  if (starts_with(to, "nat-")) return {"egress through NAT gateway " + to, {}};
  if (starts_with(to, "igw-")) {
    if (public_ip) return {"egress through internet gateway " + to + " with public IPs", {}};
    return {std::nullopt,
            "routes to internet gateway " + to + " but the tasks get no public IP, so they have no way out"};
  }
  if (to.empty() || to == "local") return {std::nullopt, "its 0.0.0.0/0 route has no target"};
  // Transit gateways, firewall appliances, peering: the lab's own egress, which EC2 cannot vouch for.
  return {"egress through " + to + " (the lab's own route; not checked further)", {}};
}

}  // namespace

core::Result<ExistingNetwork> check_existing_network(const aws::Vpc& vpc,
                                                     const std::vector<aws::Subnet>& subnets,
                                                     const std::vector<aws::RouteTable>& route_tables,
                                                     const std::vector<std::string>& wanted,
                                                     bool assign_public_ip) {
  ExistingNetwork out;
  out.cidr_blocks = vpc.cidr_blocks;
  if (out.cidr_blocks.empty()) {
    return core::make_error(core::ErrorCode::kInvalidConfig, "VPC " + vpc.id + " has no IPv4 CIDR block",
                            "The load balancer reaches the tasks over IPv4: use a VPC with an IPv4 block");
  }
  std::vector<std::pair<std::string, std::string>> problems;
  for (const auto& id : wanted) {
    auto it = std::find_if(subnets.begin(), subnets.end(), [&](const aws::Subnet& s) { return s.id == id; });
    if (it == subnets.end()) {
      problems.emplace_back(id, "not found");
      continue;
    }
    if (it->vpc_id != vpc.id) {
      problems.emplace_back(id, "is in " + it->vpc_id + ", not in " + vpc.id);
      continue;
    }
    if (std::find(out.zones.begin(), out.zones.end(), it->availability_zone) == out.zones.end()) {
      out.zones.push_back(it->availability_zone);
    }
    Egress egress = egress_of(*it, route_tables, assign_public_ip);
    if (!egress.how) {
      problems.emplace_back(id, egress.problem);
      continue;
    }
    out.subnet_lines.push_back(id + " (" + it->availability_zone + "): " + *egress.how);
  }
  if (!problems.empty()) {
    core::Error e = core::make_error(
        core::ErrorCode::kInvalidConfig,
        std::to_string(problems.size()) + " of the subnets given with --subnet-ids cannot run the service",
        "Give subnets of --vpc-id whose route tables send 0.0.0.0/0 to a NAT gateway (or to an internet "
        "gateway together with --assign-public-ip true)");
    for (auto& [subnet, why] : problems) e.with(subnet, why);
    return e;
  }
  if (out.zones.size() < 2) {
    return core::make_error(
               core::ErrorCode::kInvalidConfig,
               "The subnets given with --subnet-ids are all in one Availability Zone (" +
                   (out.zones.empty() ? std::string("none") : out.zones.front()) + ")",
               "Give subnets in at least two Availability Zones: the load balancer and the tasks "
               "must survive the loss of one zone")
        .with("VPC", vpc.id);
  }
  return out;
}

}  // namespace bw::deploy
