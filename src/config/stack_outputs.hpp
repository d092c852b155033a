// config/stack_outputs.hpp
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace bw::config {

//! An SQS queue ARN, arn:aws:sqs:<region>:<account>:<name>.
struct SqsQueueArn {
  std::string arn;
  std::string region;
  std::string account;
  std::string name;  //!< 1-80 of [A-Za-z0-9_-], optionally ending in ".fifo"
};

//! Parses an SQS queue ARN (the `aws` partition, like the stack ARN); nullopt when malformed.
std::optional<SqsQueueArn> parse_sqs_queue_arn(std::string_view arn);

//! What the service takes from the Quilt stack's outputs (runtime-spec §8.3).
struct QuiltOutputs {
  std::string athena_database;       //!< UserAthenaDatabaseName
  std::string packager_queue_arn;    //!< PackagerQueueArn, as given
  SqsQueueArn packager_queue;        //!< PackagerQueueArn, parsed
  std::string catalog_host;          //!< bare host (and port, if the output had one), lowercase
  std::string catalog_source;        //!< the output the host came from, e.g. "QuiltWebHost"
  std::string api_gateway_endpoint;  //!< ApiGatewayEndpoint as given, "" when absent
};

//! The host of a catalog output: "https://Catalog.Example.com/" → "catalog.example.com". Strips an
//! http:// or https:// scheme and anything from the first '/', '?' or '#'; nullopt when what remains
//! is not a host[:port].
std::optional<std::string> normalize_catalog_host(std::string_view value);

//! Picks the outputs out of DescribeStacks' Outputs[] (OutputKey, OutputValue). An empty value counts as
//! absent. Errors are kInvalidConfig (healable: the stack can be updated), each ending with the detail
//! ("Stack", stack_name):
//!  - "Missing required CloudFormation outputs: UserAthenaDatabaseName, PackagerQueueArn" /
//!    "Ensure your Quilt stack exports these outputs" / ("Available outputs", "K1, K2" or "(none)");
//!  - "Invalid PackagerQueueArn output" when it is not an SQS queue ARN;
//!  - "Cannot determine catalog URL" / 'Stack must export "QuiltWebHost", "Catalog", "CatalogDomain", or
//!    "ApiGatewayEndpoint"' when none is present;
//!  - "Invalid catalog host in stack output '<key>'" when the first present one is not a host.
//! Catalog precedence: QuiltWebHost > Catalog > CatalogDomain > the hostname of ApiGatewayEndpoint.
core::Result<QuiltOutputs> resolve_outputs(const std::vector<std::pair<std::string, std::string>>& outputs,
                                           std::string_view stack_name);

}  // namespace bw::config
