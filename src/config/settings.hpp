// config/settings.hpp: the two settings (and PORT), read and checked once at start.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "aws/env.hpp"
#include "config/secret_ref.hpp"
#include "config/stack_arn.hpp"
#include "core/error.hpp"

namespace bw::config {

//! What the container is given. Everything else is resolved from AWS.
struct Settings {
  StackArn stack;
  std::string secret_id;  //!< BenchlingSecret as given: a name, a full ARN or a partial ARN
  SecretRef secret_ref;   //!< secret_id classified; an ARN may name another region than the stack's
};

//! Values given on a command line; each overrides its environment variable.
struct SettingsOverrides {
  std::optional<std::string> quilt_stack_arn;
  std::optional<std::string> benchling_secret;
};

//! Reads QuiltStackARN and BenchlingSecret (overridable), checks their shape. Errors never heal
//! (kMissingSetting, kInvalidArgument): the caller exits 2.
core::Result<Settings> load_settings(const aws::EnvFn& env, const SettingsOverrides& overrides = {});

//! PORT (default 8080; 0 picks a free port). A malformed value is kInvalidArgument.
core::Result<uint16_t> load_port(const aws::EnvFn& env);

}  // namespace bw::config
