// aws/cloudwatch.hpp: CloudWatch DescribeAlarms (query protocol, version 2010-08-01, XML replies), for
// status's view of the stack's alarms.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct MetricAlarm {
  std::string name;
  std::string state;  //!< OK | ALARM | INSUFFICIENT_DATA
  std::string state_reason;
  std::string namespace_;
  std::string metric_name;
  std::vector<std::string> alarm_actions;
};

//! Pure parser of a DescribeAlarms reply (metric alarms only); bounded (1 MiB, 100 alarms, fields clipped);
//! an unreadable reply is kRemote and never quoted.
core::Result<std::vector<MetricAlarm>> parse_describe_alarms(std::string_view xml);

class CloudWatch {
 public:
  explicit CloudWatch(AwsClient& client) : client_(client) {}

  //! DescribeAlarms of the metric alarms whose names start with `prefix` (one page of at most 100).
  core::Result<std::vector<MetricAlarm>> describe_alarms(const std::string& prefix);

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
