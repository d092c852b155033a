// config/stack_outputs.hpp
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/sqs_queue.hpp"
#include "core/error.hpp"

namespace bw::config {

//! Which stack output each value came from, as /config, `config` and `validate` show it; "" when the
//! value is absent (only the optional ones can be).
struct OutputSources {
  std::string catalog;           //!< QuiltWebHost | Catalog | CatalogDomain | ApiGatewayEndpoint
  std::string athena_database;   //!< UserAthenaDatabaseName
  std::string packager_queue;    //!< PackagerQueueUrl | QueueUrl | PackagerQueueArn
  std::string iceberg_database;  //!< IcebergDatabaseName, "" when the stack has none
  std::string athena_workgroup;  //!< UserAthenaWorkgroupName, "" when the stack has none
};

//! What the service takes from the Quilt stack's outputs (runtime-spec §8.3, DESIGN "Quilt stack outputs").
struct QuiltOutputs {
  std::string athena_database;       //!< UserAthenaDatabaseName
  std::string packager_queue_arn;    //!< the packager queue's ARN, as given or derived from its URL
  std::string packager_queue_url;    //!< the packager queue's URL, as given or derived from its ARN
  SqsQueue packager_queue;           //!< the same queue, parsed
  std::string iceberg_database;      //!< IcebergDatabaseName (Quilt 1.70+), "" when absent
  std::string athena_workgroup;      //!< UserAthenaWorkgroupName, "" when absent
  std::string catalog_host;          //!< bare host (and port, if the output had one), lowercase
  std::string api_gateway_endpoint;  //!< ApiGatewayEndpoint as given, "" when absent
  OutputSources sources;
};

//! The host of a catalog output: "https://Catalog.Example.com/" → "catalog.example.com". Strips an
//! http:// or https:// scheme and anything from the first '/', '?' or '#'; nullopt when what remains
//! is not a host[:port].
std::optional<std::string> normalize_catalog_host(std::string_view value);

//! Picks the outputs out of DescribeStacks' Outputs[] (OutputKey, OutputValue). An empty value counts as
//! absent. `stack_region` is the region of a packager queue URL whose host names none (a custom endpoint
//! such as moto's). Errors are kInvalidConfig (healable: the stack can be updated), each ending with the
//! detail ("Stack", stack_name):
//!  - "Missing required CloudFormation outputs: UserAthenaDatabaseName, PackagerQueueUrl (or QueueUrl or
//!    PackagerQueueArn)" / "Ensure your Quilt stack exports these outputs" / ("Available outputs",
//!    "K1, K2" or "(none)");
//!  - "Invalid <key> output" when the packager queue output picked is not an SQS queue URL (or ARN, for
//!    PackagerQueueArn) from which region, account and name can be recovered;
//!  - "Cannot determine catalog URL" / 'Stack must export "QuiltWebHost", "Catalog", "CatalogDomain", or
//!    "ApiGatewayEndpoint"' when none is present;
//!  - "Invalid catalog host in stack output '<key>'" when the first present one is not a host.
//! Packager queue precedence: PackagerQueueUrl > QueueUrl > PackagerQueueArn (the first present one is
//! used, never skipped when malformed). Catalog precedence: QuiltWebHost > Catalog > CatalogDomain > the
//! hostname of ApiGatewayEndpoint. IcebergDatabaseName and UserAthenaWorkgroupName are optional.
core::Result<QuiltOutputs> resolve_outputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                           std::string_view stack_name, std::string_view stack_region = {});

}  // namespace bw::config
