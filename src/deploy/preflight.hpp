// deploy/preflight.hpp: everything deploy checks before it touches a stack.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/resolved_config.hpp"
#include "config/resolver.hpp"
#include "deploy/network_check.hpp"

namespace bw::aws {
class Ec2;
class Kms;
class S3;
class SecretsManager;
class Sqs;
}  // namespace bw::aws

namespace bw::deploy {

//! validate's checks (stack, outputs, secret readable and valid) plus what the service needs from the
//! account: the user bucket is reachable and the packager queue exists. Prints a checklist to `out`
//! and stops at the first failure (a broken secret was the first cause of hung deploys upstream).
core::Result<config::ResolvedConfig> preflight(const config::Resolver& resolver, aws::S3& s3, aws::Sqs& sqs,
                                               std::ostream& out);

//! For --vpc-id: reads the VPC, the subnets and the VPC's route tables from EC2 and checks them
//! (check_existing_network), printing a checklist line per finding. Runs before any stack call, so a
//! subnet without egress stops the deploy at once instead of after the circuit breaker.
core::Result<ExistingNetwork> preflight_network(aws::Ec2& ec2, const std::string& vpc_id,
                                                const std::vector<std::string>& subnet_ids,
                                                bool assign_public_ip, std::ostream& out);

//! A customer-managed KMS key the service must use, and what for.
struct CustomerKey {
  std::string arn;
  std::string used_by;  //!< "Benchling secret", "user bucket", "packager queue" (joined when shared)
};

//! Finds the KMS keys behind the Benchling secret (DescribeSecret KmsKeyId), the user bucket's default
//! encryption (GetBucketEncryption) and the packager queue (KmsMasterKeyId), and keeps the customer-managed
//! ones (KMS DescribeKey), each once: the task role gets kms:Decrypt and kms:GenerateDataKey on exactly
//! those. AWS-managed keys (aws/secretsmanager, aws/s3, aws/sqs, SSE-S3, SQS-managed SSE) need nothing.
//! Prints a checklist line per resource; a key that cannot be described (deleted, disabled, denied) stops
//! the deploy here rather than at the first job.
core::Result<std::vector<CustomerKey>> preflight_encryption(const config::ResolvedConfig& config,
                                                            aws::SecretsManager& secrets, aws::S3& s3,
                                                            aws::Sqs& sqs, aws::Kms& kms, std::ostream& out);

}  // namespace bw::deploy
