#include "aws/apigateway.hpp"

#include "aws/json_reply.hpp"
#include "core/json.hpp"

namespace bw::aws {

core::Result<std::string> parse_get_account(std::string_view json) {
  const ReplyOf of{"API Gateway", "apigateway", "GetAccount", 64 * 1024};
  auto parsed = load_json_reply(json, of);
  if (!parsed) return parsed.error();
  auto arn = core::get_string(*parsed, "cloudwatchRoleArn").value_or("");
  if (arn.size() > 2048) return unreadable_reply(of, "cloudwatchRoleArn is too long");
  return arn;
}

core::Result<std::string> ApiGateway::cloudwatch_role_arn() {
  constexpr std::string_view kAction = "GetAccount";
  http::Request req;
  req.method = "GET";
  req.url = "/account";
  req.headers.emplace_back("Accept", "application/json");
  req.max_response_bytes = 64 * 1024;
  auto reply = client_.send("apigateway", "apigateway", std::move(req), kAction);
  if (!reply) return reply.error().with("Region", client_.region());
  return parse_get_account(reply->body);
}

}  // namespace bw::aws
