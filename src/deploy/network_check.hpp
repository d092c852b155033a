// deploy/network_check.hpp: whether an existing VPC and its subnets can run the service, judged from what
// EC2 says about them (pure: the pre-flight fetches, this decides).
#pragma once

#include <string>
#include <vector>

#include "aws/ec2.hpp"
#include "core/error.hpp"

namespace bw::deploy {

//! What the template and the checklist take from an existing VPC.
struct ExistingNetwork {
  std::vector<std::string> cidr_blocks;  //!< the VPC's IPv4 blocks: the tasks' security group admits each
  std::vector<std::string> zones;        //!< the subnets' Availability Zones, distinct, in subnet order
  //! One checklist line per subnet: "subnet-0a (us-east-1a): egress through NAT gateway nat-0b".
  std::vector<std::string> subnet_lines;
};

//! Checks `wanted` (the --subnet-ids) against EC2's view: every subnet exists and lies in `vpc`, they span
//! at least two Availability Zones, and each has an active default route (0.0.0.0/0) out of the VPC: a NAT
//! gateway; an internet gateway only when the tasks get public IPs (`assign_public_ip`); a transit
//! gateway, network interface, peering or instance is accepted as the lab's own egress, and said so. A
//! subnet without an explicit route table association uses the VPC's main table. Every problem is listed
//! (kInvalidConfig, one detail per subnet: what it lacks), so one run shows all that must change.
core::Result<ExistingNetwork> check_existing_network(const aws::Vpc& vpc,
                                                     const std::vector<aws::Subnet>& subnets,
                                                     const std::vector<aws::RouteTable>& route_tables,
                                                     const std::vector<std::string>& wanted,
                                                     bool assign_public_ip);

}  // namespace bw::deploy
