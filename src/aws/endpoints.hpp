// aws/endpoints.hpp: where each AWS service is reached (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, or
// AWS).
#pragma once

#include <string>
#include <string_view>

#include "aws/env.hpp"
#include "core/error.hpp"

namespace bw::aws {

struct Endpoint {
  std::string base_url;  //!< "https://sqs.us-east-1.amazonaws.com", "http://127.0.0.1:5000"; no trailing '/'
  std::string host_header;  //!< "sqs.us-east-1.amazonaws.com", "127.0.0.1:5000" (port only when in the URL)
  bool custom = false;      //!< true when taken from AWS_ENDPOINT_URL[_<SERVICE>]
};

//! The SDK service-id suffix of the per-service variable: "secretsmanager" -> "SECRETS_MANAGER",
//! "logs" -> "CLOUDWATCH_LOGS", "cloudformation" -> "CLOUDFORMATION"; unknown ids are uppercased with
//! spaces and hyphens turned into '_'.
std::string endpoint_env_suffix(std::string_view service_id);
//! "AWS_ENDPOINT_URL_" + endpoint_env_suffix(service_id).
std::string endpoint_env_name(std::string_view service_id);

//! AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else https://<service_id>.<region>.amazonaws.com
//! (amazonaws.com.cn in China regions). service_id is the hostname prefix ("sqs", "logs", "secretsmanager").
//! A custom endpoint must be an http(s) URL with a host and no query, fragment or user info; otherwise
//! kInvalidArgument naming the variable. A region that is not [a-z0-9-]+ is kInvalidArgument too.
core::Result<Endpoint> resolve_endpoint(std::string_view service_id, std::string_view region,
                                        const EnvFn& env);

//! Validates one custom endpoint URL; `variable` names its source in the error.
core::Result<Endpoint> parse_custom_endpoint(std::string_view url, std::string_view variable);

//! URL of an S3 object (of the bucket when `key` is empty). On AWS: virtual-hosted
//! "https://<bucket>.s3.<region>.amazonaws.com/<key>", except for bucket names that are not DNS-safe
//! (dots, uppercase), which stay path-style as the SDKs do. On a custom endpoint:
//! "<endpoint>/<bucket>/<key>". The key is percent-encoded with '/' kept.
std::string s3_object_url(const Endpoint& s3, std::string_view bucket, std::string_view key);

}  // namespace bw::aws
