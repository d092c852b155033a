// cli/deploy_commands.hpp: template, deploy, status, destroy, logs and manifest.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/settings.hpp"
#include "deploy/app_manifest.hpp"
#include "deploy/operate.hpp"
#include "deploy/template.hpp"

namespace CLI {
class App;
}

namespace bw::cli {

//! The subcommands and their parsed flags (several subcommands share a flag's variable; only the one
//! chosen is parsed).
struct DeployCommands {
  CLI::App* template_cmd = nullptr;
  CLI::App* deploy_cmd = nullptr;
  CLI::App* status_cmd = nullptr;
  CLI::App* destroy_cmd = nullptr;
  CLI::App* logs_cmd = nullptr;
  CLI::App* manifest_cmd = nullptr;

  config::SettingsOverrides settings;
  deploy::TemplateOptions template_options;
  std::optional<bool> assign_public_ip;
  std::string stack_name = deploy::kDefaultStackName;
  std::string region;
  bool yes = false;
  bool force = false;
  double poll_s = 5;
  double timeout_min = 60;
  std::string webhook_url;
  std::string since = "10m";
  std::string filter;
  bool follow = false;
  double follow_for_s = 0;
  deploy::ManifestOptions manifest;
  std::string output;
};

//! Adds the subcommands to `app`; the returned object receives their flags when `app` parses.
std::unique_ptr<DeployCommands> add_deploy_commands(CLI::App& app);

//! Runs the subcommand that was chosen and returns its exit code, or -1 when none of them was.
int run_deploy_commands(const DeployCommands& commands);

}  // namespace bw::cli
