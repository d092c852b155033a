#include "deploy/status_drift.hpp"

#include <ostream>

#include "aws/secrets_manager.hpp"
#include "config/secret_ref.hpp"
#include "config/secret_schema.hpp"
#include "deploy/deployed_settings.hpp"

namespace bw::deploy {

void show_settings_drift(const aws::Stack& stack, aws::SecretsManager* secrets, Console& console,
                         std::vector<std::string>& problems) {
  if (!secrets) return;
  constexpr const char* kLabel = "Settings  ";
  auto deployment = deployment_of(stack);
  if (!deployment) {
    console.out << kLabel << "not recorded by this stack (deployed by an older version): not compared\n";
    return;
  }
  const std::string& secret_id = deployment->settings.benchling_secret;
  auto value = secrets->get_secret_value(secret_id);
  if (!value) {
    // Whoever runs status may not be allowed to read the secret: that says nothing about the service.
    console.out << kLabel << "not compared: " << value.error().message << "\n";
    return;
  }
  auto secret = config::parse_secret(value->secret_string.value_or(""), secret_id);
  if (!secret) {
    console.out << kLabel << "not compared: " << secret.error().message << "\n";
    problems.push_back("the Benchling secret " + secret_id + " is not valid");
    return;
  }
  const auto drift = settings_drift(deployment->settings, secret->user_bucket, secret->webhook_allow_list);
  if (drift.empty()) {
    console.out << kLabel << "user_bucket and webhook_allow_list as in the secret " << secret_id << "\n";
    return;
  }
  std::string keys;
  for (const auto& d : drift) keys.append(keys.empty() ? "" : ", ").append(d.key);
  console.out << kLabel << "drift: the stack was built with other " << keys << " than the secret "
              << secret_id << " holds\n"
              << drift_lines(drift, "          ")
              << "          Redeploy for the secret's values to take effect:\n"
              << "            " << deployment->deploy_command << "\n";
  problems.push_back("settings drift (" + keys + "): redeploy with " + deployment->deploy_command);
}

}  // namespace bw::deploy
