#include "deploy/preflight_api_logging.hpp"

#include <ostream>
#include <string>

#include "aws/apigateway.hpp"

namespace bw::deploy {

bool stack_sets_api_gateway_role(std::string_view current_role_arn) {
  if (current_role_arn.empty()) return true;
  const auto role = current_role_arn.find(":role/");
  return role != std::string_view::npos && current_role_arn.substr(role + 5).starts_with(kApiGatewayRolePath);
}

core::Result<bool> preflight_api_logging(aws::ApiGateway& apigateway, std::ostream& out) {
  auto current = apigateway.cloudwatch_role_arn();
  if (!current) {
    out << "  [FAIL] API Gateway logging role: " << current.error().message << "\n";
    core::Error e = current.error();
    e.suggestion =
        "deploy reads the region's API Gateway account setting (apigateway:GET on /account) to know whether "
        "the stack must set the CloudWatch Logs role its access logs need; allow it and deploy again";
    return e;
  }
  const bool sets = stack_sets_api_gateway_role(*current);
  out << "  [ok]   API Gateway logging role: ";
  if (current->empty()) {
    out << "none set in the region; the stack sets one (a region-wide setting; the role is kept when the "
           "stack is deleted)\n";
  } else if (sets) {
    out << *current << " (a benchling-webhook role; the stack keeps it set)\n";
  } else {
    out << *current << " (left as it is)\n";
  }
  return sets;
}

}  // namespace bw::deploy
