// config/resolver.hpp: settings → ResolvedConfig, through CloudFormation and Secrets Manager.
#pragma once

#include <string>
#include <vector>

#include "config/resolved_config.hpp"
#include "config/settings.hpp"
#include "core/error.hpp"

namespace bw::aws {
class CloudFormation;
class SecretsManager;
}  // namespace bw::aws

namespace bw::config {

//! One line of `validate`'s checklist.
struct Check {
  std::string name;  //!< what was checked: "Quilt stack found"
  bool ok = false;
  std::string detail;  //!< what was seen (never a secret value)
};

class Resolver {
 public:
  Resolver(aws::CloudFormation& cloudformation, aws::SecretsManager& secrets, Settings settings);

  //! Looks the stack up by its full ARN, checks its status and outputs, fetches and validates the
  //! secret. Records each step in `checks` when given. Stops at the first failure.
  core::Result<ResolvedConfig> resolve(std::vector<Check>* checks = nullptr) const;

  //! Between full resolutions: `last` with the secret read and validated again (a rotation); the stack
  //! outputs change only with a stack update, so they are not read.
  core::Result<ResolvedConfig> refresh_secret(const ResolvedConfig& last) const;

  const Settings& settings() const { return settings_; }

 private:
  struct Secret {
    BenchlingSecret benchling;
    std::string version_id;
  };
  //! GetSecretValue and parse_secret, each recorded in `checks` when given.
  core::Result<Secret> read_secret(std::vector<Check>* checks) const;

  aws::CloudFormation& cloudformation_;
  aws::SecretsManager& secrets_;
  Settings settings_;
};

}  // namespace bw::config
