#include "deploy/preflight.hpp"

#include <ostream>

#include "aws/ec2.hpp"
#include "aws/s3.hpp"
#include "aws/sqs.hpp"

namespace bw::deploy {
namespace {

void print(std::ostream& out, bool ok, const std::string& name, const std::string& detail) {
  out << "  " << (ok ? "[ok]   " : "[FAIL] ") << name;
  if (!detail.empty()) out << ": " << detail;
  out << "\n";
}

}  // namespace

core::Result<config::ResolvedConfig> preflight(const config::Resolver& resolver, aws::S3& s3, aws::Sqs& sqs,
                                               std::ostream& out) {
  out << "Checking the configuration before deploying\n";
  std::vector<config::Check> checks;
  auto resolved = resolver.resolve(&checks);
  for (const auto& c : checks) print(out, c.ok, c.name, c.detail);
  if (!resolved) return resolved.error();

  const std::string& bucket = resolved->benchling.user_bucket;
  if (auto reached = s3.head_bucket(bucket); !reached) {
    print(out, false, "S3 bucket " + bucket, reached.error().message);
    return reached.error();
  }
  print(out, true, "S3 bucket " + bucket, "reachable");

  const auto& queue = resolved->quilt.packager_queue;
  auto url = sqs.queue_url(queue.account, queue.name);
  core::Result<std::map<std::string, std::string>> attributes = core::Error{};
  if (url) attributes = sqs.get_queue_attributes(*url, {"QueueArn"});
  if (!url || !attributes) {
    const core::Error e = url ? attributes.error() : url.error();
    print(out, false, "Packager queue " + queue.name, e.message);
    return e;
  }
  print(out, true, "Packager queue " + queue.name, "exists");
  return resolved;
}

core::Result<ExistingNetwork> preflight_network(aws::Ec2& ec2, const std::string& vpc_id,
                                                const std::vector<std::string>& subnet_ids,
                                                bool assign_public_ip, std::ostream& out) {
  auto vpc = ec2.describe_vpc(vpc_id);
  if (!vpc) {
    print(out, false, "VPC " + vpc_id, vpc.error().message);
    return vpc.error();
  }
  auto subnets = ec2.describe_subnets(subnet_ids);
  core::Result<std::vector<aws::RouteTable>> tables = core::Error{};
  if (subnets) tables = ec2.route_tables(vpc_id);
  if (!subnets || !tables) {
    const core::Error e = subnets ? tables.error() : subnets.error();
    print(out, false, "Subnets of " + vpc_id, e.message);
    return e;
  }
  auto network = check_existing_network(*vpc, *subnets, *tables, subnet_ids, assign_public_ip);
  if (!network) {
    print(out, false, "Subnets of " + vpc_id, network.error().message);
    for (const auto& [subnet, why] : network.error().details) print(out, false, subnet, why);
    return network.error();
  }
  std::string blocks;
  for (const auto& b : network->cidr_blocks) blocks += (blocks.empty() ? "" : ", ") + b;
  print(out, true, "VPC " + vpc_id, blocks + " (the tasks admit the load balancer from these)");
  for (const auto& line : network->subnet_lines) print(out, true, "Subnet", line);
  return network;
}

}  // namespace bw::deploy
