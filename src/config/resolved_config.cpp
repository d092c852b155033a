// config/resolved_config.cpp
#include "config/resolved_config.hpp"

#include <boost/json.hpp>

#include "config/athena_workgroup.hpp"
#include "config/mask.hpp"

namespace bw::config {
namespace {

// The account in a queue URL masked as mask_arn masks it in the ARN: .../***9012/name.
boost::json::value mask_queue_url_json(std::string_view url) {
  if (url.empty()) return nullptr;
  const auto name_slash = url.rfind('/');
  const auto account_slash = name_slash == std::string_view::npos || name_slash == 0
                                 ? std::string_view::npos
                                 : url.rfind('/', name_slash - 1);
  if (account_slash == std::string_view::npos) return boost::json::value(url);
  const auto account = url.substr(account_slash + 1, name_slash - account_slash - 1);
  std::string out(url.substr(0, account_slash + 1));
  out += mask_value(account).value_or("");
  out += url.substr(name_slash);
  return boost::json::value(out);
}

}  // namespace

boost::json::object render_config_json(const ResolvedConfig& config) {
  const BenchlingSecret& b = config.benchling;
  const QuiltOutputs& q = config.quilt;

  const AthenaWorkgroup workgroup = choose_athena_workgroup(q, config.stack.arn, config.secret_id);
  boost::json::object quilt{
      {"catalog", q.catalog_host},
      {"database", q.athena_database},
      {"bucket", b.user_bucket},
      {"queue_arn", mask_arn_json(q.packager_queue_arn)},
      {"queue_url", mask_queue_url_json(q.packager_queue_url)},
      {"iceberg_database",
       q.iceberg_database.empty() ? boost::json::value(nullptr) : boost::json::value(q.iceberg_database)},
      {"athena_workgroup", workgroup.name}};
  if (b.workflow) quilt["workflow"] = *b.workflow;
  // Which stack output each value came from: a stack exporting an unexpected alternative (QueueUrl
  // rather than PackagerQueueUrl, no IcebergDatabaseName) is visible without reading the stack.
  boost::json::object sources{{"catalog", q.sources.catalog},
                              {"database", q.sources.athena_database},
                              {"queue", q.sources.packager_queue},
                              {"athena_workgroup", workgroup.source}};
  if (!q.sources.iceberg_database.empty()) sources["iceberg_database"] = q.sources.iceberg_database;
  quilt["sources"] = std::move(sources);

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
