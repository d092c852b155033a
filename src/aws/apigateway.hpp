// aws/apigateway.hpp: API Gateway GetAccount (REST JSON), for deploy's pre-flight of the region's
// CloudWatch Logs role.
#pragma once

#include <string>
#include <string_view>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

//! The cloudwatchRoleArn of a GetAccount reply ("" when the region has none). Pure; an unreadable reply
//! is kRemote and never quoted.
core::Result<std::string> parse_get_account(std::string_view json);

class ApiGateway {
 public:
  explicit ApiGateway(AwsClient& client) : client_(client) {}

  //! GET /account: the role API Gateway writes CloudWatch logs with in this region, "" when none is set.
  core::Result<std::string> cloudwatch_role_arn();

 private:
  AwsClient& client_;
};

}  // namespace bw::aws
