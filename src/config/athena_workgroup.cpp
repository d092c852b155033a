// config/athena_workgroup.cpp
#include "config/athena_workgroup.hpp"

#include "config/queue_names.hpp"

namespace bw::config {

std::string service_workgroup_name(std::string_view stack_arn, std::string_view secret) {
  return deployment_name(stack_arn, secret);
}

AthenaWorkgroup choose_athena_workgroup(const QuiltOutputs& outputs, std::string_view stack_arn,
                                        std::string_view secret) {
  if (!outputs.athena_workgroup.empty()) return {outputs.athena_workgroup, outputs.sources.athena_workgroup};
  return {service_workgroup_name(stack_arn, secret), kServiceWorkgroupSource};
}

}  // namespace bw::config
