// deploy/template_athena.cpp: the Athena workgroup linked-package searches run in when the Quilt stack
// exports none (UserAthenaWorkgroupName).
#include "config/athena_workgroup.hpp"
#include "deploy/detail/template_parts.hpp"

namespace bw::deploy::detail {

std::string service_workgroup(const TemplateOptions& o) {
  return config::service_workgroup_name(o.quilt_stack.arn, o.secret.value);
}

void add_athena_workgroup(boost::json::object& resources, const TemplateOptions& o) {
  namespace json = boost::json;
  // Created even when the Quilt stack has its own workgroup: the service falls back to it as soon as
  // the stack stops exporting one, without a redeploy. Athena-managed query results: no results bucket
  // to create, secure or expire, and no S3 permission for the task role (the "primary" workgroup of a
  // fresh account has no result location at all, so every query there fails). Engine version 3 reads
  // the Iceberg tables of Quilt 1.70+.
  resources[kAthenaWorkGroup] = resource(
      "AWS::Athena::WorkGroup",
      {{"Name", service_workgroup(o)},
       {"Description", "benchling-webhook: linked-package searches (Athena-managed query results)"},
       {"State", "ENABLED"},
       // Deleting the stack deletes the workgroup with its saved queries and results.
       {"RecursiveDeleteOption", true},
       {"WorkGroupConfiguration",
        json::object{{"EnforceWorkGroupConfiguration", true},
                     {"PublishCloudWatchMetricsEnabled", true},
                     {"EngineVersion", json::object{{"SelectedEngineVersion", "Athena engine version 3"}}},
                     {"ManagedQueryResultsConfiguration", json::object{{"Enabled", true}}}}}});
}

}  // namespace bw::deploy::detail
