// deploy/deployed_settings.hpp: the secret values a stack was built with (the template bakes them in), read
// back from the stack's outputs to tell when a secret change needs a redeploy, with the command that does it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/cloudformation.hpp"
#include "core/error.hpp"
#include "deploy/template.hpp"

namespace bw::deploy {

//! The secret keys whose values the template bakes in: user_bucket (the task role's S3 statements) and
//! webhook_allow_list (the API's resource policy). Every other key is read by the running service.
inline constexpr std::string_view kBakedSecretKeys[] = {"user_bucket", "webhook_allow_list"};

//! Stack outputs the template adds for this: DeployedSettings (JSON of DeployedSettings, no secrets: the
//! two settings, the bucket name and the source-IP list) and DeployCommand (the deploy command line that
//! built the stack, with --stack-name).
inline constexpr const char* kDeployedSettingsOutput = "DeployedSettings";
inline constexpr const char* kDeployCommandOutput = "DeployCommand";

struct DeployedSettings {
  std::string quilt_stack_arn;
  std::string benchling_secret;  //!< the BenchlingSecret setting as given (name or ARN)
  std::string user_bucket;
  std::string webhook_allow_list;  //!< canonical_allow_list of the secret's value
};

//! The allow list as the template uses it: entries trimmed, empty ones and repeats dropped, joined by
//! ","; an invalid list is returned as given (it differs from any deployed one). Pure.
std::string canonical_allow_list(std::string_view list);

//! The DeployedSettings output's JSON text for these options. Pure.
std::string deployed_settings_json(const TemplateOptions& options);
//! Parses the output; nullopt when absent or not this shape.
std::optional<DeployedSettings> parse_deployed_settings(std::string_view json);

//! The deploy flags that rebuild this template (the two settings, the image, and every option that
//! differs from its default), without --stack-name. Pure.
std::vector<std::string> deploy_flags(const TemplateOptions& options);
//! `word` as one POSIX shell word: as is when it has only safe characters, else single-quoted.
std::string shell_quote(std::string_view word);

//! One baked value whose current secret value differs from the deployed one.
struct SettingDrift {
  std::string key;  //!< user_bucket | webhook_allow_list
  std::string deployed;
  std::string current;
};

//! The baked keys whose current values (from the secret) differ from what the stack was built with. Pure.
std::vector<SettingDrift> settings_drift(const DeployedSettings& deployed, std::string_view user_bucket,
                                         std::string_view webhook_allow_list);

//! True when the BenchlingSecret setting `deployed_secret` names the secret whose name is `name` and ARN
//! `arn` (GetSecretValue's Name and ARN). Pure.
bool names_secret(std::string_view deployed_secret, std::string_view name, std::string_view arn);

//! A stack of this service built with a given secret.
struct Deployment {
  std::string stack_name;
  DeployedSettings settings;
  std::string deploy_command;  //!< the DeployCommand output ("" when missing)
};

//! The region's stacks (DescribeStacks) whose DeployedSettings name the secret `name`/`arn`.
core::Result<std::vector<Deployment>> find_deployments_of_secret(aws::CloudFormation& cfn,
                                                                 std::string_view name, std::string_view arn);

//! The deployment a stack describes, or nullopt for a stack without (a valid) DeployedSettings output.
std::optional<Deployment> deployment_of(const aws::Stack& stack);

//! "<indent>- user_bucket: deployed 'a', the secret now says 'b'" lines (an allow list longer than 200
//! characters is shortened). Pure.
std::string drift_lines(const std::vector<SettingDrift>& drift, std::string_view indent = "  ");

}  // namespace bw::deploy
