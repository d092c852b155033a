// config/resolved_config.cpp
#include "config/resolved_config.hpp"

#include <boost/json.hpp>

#include "config/mask.hpp"

namespace bw::config {

boost::json::object render_config_json(const ResolvedConfig& config) {
  const BenchlingSecret& b = config.benchling;
  const QuiltOutputs& q = config.quilt;

  boost::json::object quilt{{"catalog", q.catalog_host},
                            {"database", q.athena_database},
                            {"bucket", b.user_bucket},
                            {"queue_arn", mask_arn_json(q.packager_queue_arn)}};
  if (b.workflow) quilt["workflow"] = *b.workflow;

  boost::json::object benchling{{"tenant", b.tenant},
                                {"client_id", mask_value_json(b.client_id)},
                                {"has_client_secret", !b.client_secret.empty()},
                                {"has_app_definition_id", !b.app_definition_id.empty()},
                                {"api_url", b.api_url}};

  boost::json::object parameters{{"pkg_prefix", b.pkg_prefix},
                                 {"pkg_key", b.pkg_key},
                                 {"user_bucket", b.user_bucket},
                                 {"log_level", b.log_level_name},
                                 {"webhook_allow_list", b.webhook_allow_list},
                                 {"enable_webhook_verification", b.enable_webhook_verification}};

  boost::json::object secrets_only{
      {"quilt_stack_arn", mask_arn(config.stack.arn)},
      {"benchling_secret_name", config.secret_id},
      {"note", "All configuration resolved from AWS CloudFormation and Secrets Manager"}};
  if (!config.secret_version_id.empty()) secrets_only["secret_version_id"] = config.secret_version_id;

  return boost::json::object{
      {"config_mode", "secrets-only"},       {"aws", boost::json::object{{"region", config.stack.region}}},
      {"quilt", std::move(quilt)},           {"benchling", std::move(benchling)},
      {"parameters", std::move(parameters)}, {"secrets_only_params", std::move(secrets_only)}};
}

boost::json::object render_secrets_health(const SecretRef& secret_ref, const BenchlingSecret* secret) {
  const bool tenant = secret && !secret->tenant.empty();
  const bool valid = tenant && !secret->client_id.empty() && !secret->client_secret.empty();
  return boost::json::object{{"status", valid ? "healthy" : "unhealthy"},
                             {"mode", "secrets-only"},
                             {"source", secret_ref.health_source()},
                             {"secrets_valid", valid},
                             {"tenant_configured", tenant},
                             {"quilt_stack_configured", true}};
}

}  // namespace bw::config
