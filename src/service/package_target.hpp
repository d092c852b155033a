// service/package_target.hpp: the values the packaging workflow takes (packaging/package_target.hpp),
// built from the service's configuration and job context.
#pragma once

#include "config/resolved_config.hpp"
#include "packaging/package_target.hpp"

namespace bw::queue {
class JobContext;
}

namespace bw::service {

//! The secret's user_bucket, pkg_prefix, api_url and workflow (absent: ""), and the stack's packager
//! queue (FIFO when its name ends in ".fifo"). Pure.
packaging::PackageTarget package_target(const config::ResolvedConfig& config);

//! `context`'s stopping() and sleep_for(), for the workflow; `context` must outlive the token.
packaging::StopToken stop_token(const queue::JobContext& context);

}  // namespace bw::service
