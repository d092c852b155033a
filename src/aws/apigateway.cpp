#include "aws/apigateway.hpp"

#include "core/json.hpp"

namespace bw::aws {

core::Result<std::string> parse_get_account(std::string_view json) {
  constexpr std::size_t kMaxReply = 64 * 1024;
  auto unreadable = core::make_error(core::ErrorCode::kRemote, "API Gateway GetAccount reply is unreadable",
                                     "Retry later; if it persists, check AWS_ENDPOINT_URL / "
                                     "AWS_ENDPOINT_URL_API_GATEWAY");
  if (json.size() > kMaxReply) return unreadable;
  auto parsed = core::parse_json(json, "GetAccount reply");
  if (!parsed || !parsed->is_object()) return unreadable;
  auto arn = core::get_string(parsed->get_object(), "cloudwatchRoleArn").value_or("");
  if (arn.size() > 2048) return unreadable;
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
