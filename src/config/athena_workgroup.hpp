// config/athena_workgroup.hpp: the Athena workgroup the linked-package search runs in.
#pragma once

#include <string>
#include <string_view>

#include "config/stack_outputs.hpp"

namespace bw::config {

//! "benchling-webhook-<h>" (<h> = settings_hash): the workgroup `deploy` creates, with Athena-managed
//! query results. Pure.
std::string service_workgroup_name(std::string_view stack_arn, std::string_view secret);

//! Where the name came from, for /config, `config` and `validate`.
inline constexpr const char* kServiceWorkgroupSource =
    "benchling-webhook deploy (derived from the two settings)";

struct AthenaWorkgroup {
  std::string name;
  std::string source;  //!< "UserAthenaWorkgroupName" or kServiceWorkgroupSource
};

//! The stack's UserAthenaWorkgroupName when it exports one (Quilt's own workgroup, which has a result
//! location), else the deploy-created workgroup. Never "primary": on a fresh account it has no result
//! location and every query fails ("No output location provided"). Pure.
AthenaWorkgroup choose_athena_workgroup(const QuiltOutputs& outputs, std::string_view stack_arn,
                                        std::string_view secret);

}  // namespace bw::config
