// deploy/preflight_api_logging.hpp: whether the stack sets the region's API Gateway CloudWatch Logs role.
#pragma once

#include <iosfwd>
#include <string_view>

#include "core/error.hpp"

namespace bw::aws {
class ApiGateway;
}

namespace bw::deploy {

//! IAM path of the role the template creates for API Gateway's logs: a role under it was made by a
//! benchling-webhook stack (this or another), and is retained when that stack is deleted.
inline constexpr std::string_view kApiGatewayRolePath = "/benchling-webhook/";

//! API Gateway writes access logs only once the region's account setting names a CloudWatch Logs role,
//! and that setting is shared by every API in the region. The template sets it (AWS::ApiGateway::Account)
//! when none is set, or when the one set was made by a benchling-webhook stack (so redeploys keep it);
//! a role someone else set is left alone. Pure.
bool stack_sets_api_gateway_role(std::string_view current_role_arn);

//! Reads the region's setting (API Gateway GetAccount), prints a checklist line and returns
//! stack_sets_api_gateway_role of it.
core::Result<bool> preflight_api_logging(aws::ApiGateway& apigateway, std::ostream& out);

}  // namespace bw::deploy
