#include "aws/elbv2.hpp"
#include "aws/unreadable_reply.hpp"
#include "aws/xml_reply.hpp"

#include <pugixml.hpp>

namespace bw::aws {
namespace {

constexpr std::string_view kVersion = "2015-12-01";
constexpr std::size_t kMaxReplyBytes = 1024 * 1024;
constexpr std::size_t kMaxField = 512;
constexpr std::size_t kMaxTargets = 1000;

constexpr ReplyOf kReply{"Elastic Load Balancing", "elasticloadbalancing", "DescribeTargetHealth",
                         kMaxReplyBytes};

core::Error unreadable(std::string_view why) {
  return unreadable_reply(kReply, why);
}

std::string text(pugi::xml_node node, const char* name) {
  return xml_text(node, name, kMaxField);
}

}  // namespace

core::Result<std::vector<TargetHealth>> parse_describe_target_health(std::string_view xml) {
  pugi::xml_document doc;
  auto root = load_xml_reply(doc, xml, kReply);
  if (!root) return root.error();
  std::vector<TargetHealth> out;
  for (pugi::xml_node m :
       root->child("DescribeTargetHealthResult").child("TargetHealthDescriptions").children("member")) {
    if (out.size() == kMaxTargets) return unreadable("more than 1000 targets");
    pugi::xml_node target = m.child("Target");
    pugi::xml_node health = m.child("TargetHealth");
    out.push_back({text(target, "Id"), text(target, "Port"), text(health, "State"), text(health, "Reason"),
                   text(health, "Description")});
  }
  return out;
}

core::Result<std::vector<TargetHealth>> Elbv2::describe_target_health(const std::string& target_group_arn) {
  constexpr std::string_view kAction = "DescribeTargetHealth";
  http::Request req = query_protocol(kAction, kVersion, {{"TargetGroupArn", target_group_arn}});
  req.max_response_bytes = kMaxReplyBytes;
  auto reply = client_.call("elasticloadbalancing", "elasticloadbalancing", std::move(req), kAction);
  if (!reply) return reply.error().with("Region", client_.region());
  if (reply->error) {
    if (reply->error->code == "TargetGroupNotFound") {
      return core::make_error(core::ErrorCode::kNotFound, "Target group not found: " + target_group_arn,
                              "The stack's TargetGroupArn output names a target group that is gone; "
                              "redeploy the stack")
          .with("Region", client_.region());
    }
    return to_core_error(*reply->error, kAction).with("Region", client_.region());
  }
  return parse_describe_target_health(reply->response.body);
}

}  // namespace bw::aws
