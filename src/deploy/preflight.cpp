#include "deploy/preflight.hpp"

#include <algorithm>
#include <ostream>

#include "aws/ec2.hpp"
#include "aws/kms.hpp"
#include "aws/s3.hpp"
#include "aws/secrets_manager.hpp"
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

  // The very URL the service sends to (given by the stack, or derived from its ARN).
  const auto& queue = resolved->quilt.packager_queue;
  auto attributes = sqs.get_queue_attributes(resolved->quilt.packager_queue_url, {"QueueArn"});
  if (!attributes) {
    print(out, false, "Packager queue " + queue.name, attributes.error().message);
    return attributes.error();
  }
  print(out, true, "Packager queue " + queue.name, "exists (" + resolved->quilt.sources.packager_queue + ")");
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

namespace {

//! The AWS-managed aliases of the three services: nothing to grant.
bool aws_managed_alias(std::string_view key_id) {
  for (std::string_view alias : {"alias/aws/secretsmanager", "alias/aws/s3", "alias/aws/sqs"}) {
    if (key_id == alias) return true;
    // An alias ARN: arn:aws:kms:<region>:<account>:alias/aws/s3
    if (key_id.ends_with(alias) && key_id[key_id.size() - alias.size() - 1] == ':') return true;
  }
  return false;
}

}  // namespace

core::Result<std::vector<CustomerKey>> preflight_encryption(const config::ResolvedConfig& config,
                                                            aws::SecretsManager& secrets, aws::S3& s3,
                                                            aws::Sqs& sqs, aws::Kms& kms, std::ostream& out) {
  struct Use {
    std::string what;    // checklist name
    std::string key_id;  // "" or an AWS-managed alias: nothing to do
  };
  std::vector<Use> uses;

  auto secret = secrets.describe_secret(config.secret_id);
  if (!secret) {
    print(out, false, "Benchling secret encryption", secret.error().message);
    return secret.error();
  }
  uses.push_back({"Benchling secret", secret->kms_key_id});

  auto bucket = s3.bucket_encryption(config.benchling.user_bucket);
  if (!bucket) {
    print(out, false, "User bucket encryption", bucket.error().message);
    return bucket.error();
  }
  uses.push_back({"user bucket", bucket->algorithm.starts_with("aws:kms") ? bucket->kms_key_id : ""});

  auto attributes = sqs.get_queue_attributes(config.quilt.packager_queue_url, {"KmsMasterKeyId"});
  if (!attributes) {
    print(out, false, "Packager queue encryption", attributes.error().message);
    return attributes.error();
  }
  auto kms_id = attributes->find("KmsMasterKeyId");
  uses.push_back({"packager queue", kms_id == attributes->end() ? "" : kms_id->second});

  std::vector<CustomerKey> keys;
  for (const auto& use : uses) {
    if (use.key_id.empty() || aws_managed_alias(use.key_id)) {
      print(out, true, "Encryption of the " + use.what, "AWS managed (nothing to grant)");
      continue;
    }
    auto key = kms.describe_key(use.key_id);
    if (!key) {
      print(out, false, "Encryption of the " + use.what, key.error().message);
      return key.error().with("used by", use.what);
    }
    if (!key->customer_managed()) {
      print(out, true, "Encryption of the " + use.what,
            "AWS managed key " + key->arn + " (nothing to grant)");
      continue;
    }
    if (key->state != "Enabled") {
      core::Error e =
          core::make_error(core::ErrorCode::kInvalidConfig,
                           "The KMS key of the " + use.what + " is " + key->state + ": " + key->arn,
                           "Enable the key (or restore it) in KMS; the service cannot read or write "
                           "the " +
                               use.what + " without it");
      print(out, false, "Encryption of the " + use.what, e.message);
      return e;
    }
    print(out, true, "Encryption of the " + use.what,
          "customer managed key " + key->arn + " (the task role gets kms:Decrypt and kms:GenerateDataKey)");
    auto same =
        std::find_if(keys.begin(), keys.end(), [&](const CustomerKey& k) { return k.arn == key->arn; });
    if (same != keys.end()) {
      same->used_by += ", " + use.what;
    } else {
      keys.push_back({key->arn, use.what});
    }
  }
  return keys;
}

}  // namespace bw::deploy
