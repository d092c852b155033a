// deploy/status_drift.hpp: status's row comparing the values the stack baked in with the secret's.
#pragma once

#include <string>
#include <vector>

#include "aws/cloudformation.hpp"
#include "deploy/console.hpp"

namespace bw::aws {
class SecretsManager;
}

namespace bw::deploy {

//! Prints the Settings row: whether the stack's DeployedSettings (user_bucket, webhook_allow_list) still
//! match the Benchling secret, and when not, each difference and the redeploy command (the stack's
//! DeployCommand output); a difference or an invalid secret is a problem, an unreadable one (the operator
//! may not be allowed to read it) is only shown. Nothing is printed without `secrets`.
void show_settings_drift(const aws::Stack& stack, aws::SecretsManager* secrets, Console& console,
                         std::vector<std::string>& problems);

}  // namespace bw::deploy
