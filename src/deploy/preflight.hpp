// deploy/preflight.hpp: everything deploy checks before it touches a stack.
#pragma once

#include <iosfwd>

#include "config/resolved_config.hpp"
#include "config/resolver.hpp"

namespace bw::aws {
class S3;
class Sqs;
}  // namespace bw::aws

namespace bw::deploy {

//! validate's checks (stack, outputs, secret readable and valid) plus what the service needs from the
//! account: the user bucket is reachable and the packager queue exists. Prints a checklist to `out`
//! and stops at the first failure (a broken secret was the first cause of hung deploys upstream).
core::Result<config::ResolvedConfig> preflight(const config::Resolver& resolver, aws::S3& s3, aws::Sqs& sqs,
                                               std::ostream& out);

}  // namespace bw::deploy
