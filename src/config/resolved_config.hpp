// config/resolved_config.hpp
#pragma once

#include <boost/json/object.hpp>

#include <string>

#include "config/secret_ref.hpp"
#include "config/secret_schema.hpp"
#include "config/stack_arn.hpp"
#include "config/stack_outputs.hpp"

namespace bw::config {

//! Everything the service runs with, resolved once from the two settings (DESIGN: built in one place
//! and passed down). Holds the client secret: render it only through render_config_json.
struct ResolvedConfig {
  StackArn stack;
  std::string secret_id;  //!< the BenchlingSecret setting as given
  SecretRef secret_ref;   //!< secret_id classified
  QuiltOutputs quilt;
  BenchlingSecret benchling;
  std::string secret_version_id;  //!< GetSecretValue's VersionId, "" when unknown
};

//! The GET /config body (runtime-spec §2.5) in secrets-only mode, with the reference's pkg_key bug
//! fixed (the secret's pkg_key is shown). Masked: client_id (mask_value), quilt.queue_arn and
//! secrets_only_params.quilt_stack_arn (mask_arn), the account in quilt.queue_url. The client secret
//! appears only as has_client_secret. Additions to the reference body: benchling.api_url, quilt.workflow
//! (when set), quilt.queue_url, quilt.iceberg_database (null when the stack has none),
//! quilt.athena_workgroup (the one linked-package searches use), quilt.sources (the stack output each
//! value came from: catalog, database, queue, athena_workgroup, and iceberg_database when present) and
//! secrets_only_params.secret_version_id (when known).
boost::json::object render_config_json(const ResolvedConfig& config);

//! The GET /health/secrets body (runtime-spec §2.4) in secrets-only mode (the only mode this service
//! has): `secret` is the last good secret, or nullptr while it has not been resolved (then the status is
//! "unhealthy" and secrets_valid false). The reference always answers 200 with this body.
boost::json::object render_secrets_health(const SecretRef& secret_ref, const BenchlingSecret* secret);

}  // namespace bw::config
