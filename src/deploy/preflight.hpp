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
class S3;
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

}  // namespace bw::deploy
