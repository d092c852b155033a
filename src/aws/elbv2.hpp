// aws/elbv2.hpp: Elastic Load Balancing v2 DescribeTargetHealth (query protocol, version 2015-12-01, XML
// replies), for status's view of the NLB's targets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct TargetHealth {
  std::string id;      //!< the target: an IP address for an ECS awsvpc task
  std::string port;    //!< as sent
  std::string state;   //!< initial | healthy | unhealthy | unused | draining | unavailable
  std::string reason;  //!< e.g. Target.FailedHealthChecks; empty when healthy
  std::string description;
};

//! Pure parser of a DescribeTargetHealth reply; bounded (1 MiB, 1,000 targets, fields clipped); an
//! unreadable reply is kRemote and never quoted.
core::Result<std::vector<TargetHealth>> parse_describe_target_health(std::string_view xml);

class Elbv2 {
 public:
  explicit Elbv2(AwsClient& client) : client_(client) {}

  //! DescribeTargetHealth of every target registered in the target group. A missing group
  //! (TargetGroupNotFound) is kNotFound "Target group not found: <arn>"; each error carries the Region.
  core::Result<std::vector<TargetHealth>> describe_target_health(const std::string& target_group_arn);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
