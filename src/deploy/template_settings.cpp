// deploy/template_settings.cpp: the outputs that record what the stack was built with (DeployedSettings,
// DeployCommand), so that `secret update` and `status` can tell when a secret change needs a redeploy.
#include "deploy/deployed_settings.hpp"
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy::detail {

void add_deployed_settings(boost::json::object& outputs, const TemplateOptions& o) {
  outputs[kDeployedSettingsOutput] = boost::json::object{
      {"Description", "Settings the template baked in (no secrets): compared with the secret by status"},
      {"Value", deployed_settings_json(o)}};
  std::string command = "benchling-webhook deploy --stack-name ${AWS::StackName}";
  for (const auto& flag : deploy_flags(o)) {
    // Fn::Sub reads "${" as a variable: "${!" is a literal "${".
    const std::string word = shell_quote(flag);
    command.append(" ");
    for (std::size_t i = 0; i < word.size(); ++i) {
      command.push_back(word[i]);
      if (word[i] == '$' && i + 1 < word.size() && word[i + 1] == '{') command.append("{!"), ++i;
    }
  }
  outputs[kDeployCommandOutput] = boost::json::object{
      {"Description", "The deploy command that built this stack"}, {"Value", cfn_sub(command)}};
}

}  // namespace bw::deploy::detail
