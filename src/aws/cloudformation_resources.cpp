#include "aws/cloudformation_resources.hpp"
#include "aws/unreadable_reply.hpp"
#include "aws/xml_reply.hpp"

#include <pugixml.hpp>

namespace bw::aws {
namespace {

constexpr std::size_t kMaxReplyBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxField = 2048;
constexpr std::size_t kMaxResources = 1000;

constexpr ReplyOf kReply{"CloudFormation", "cloudformation", "DescribeStackResources", kMaxReplyBytes};

core::Error unreadable(std::string_view why) {
  return unreadable_reply(kReply, why);
}

std::string text(pugi::xml_node node, const char* name) {
  return xml_text(node, name, kMaxField);
}

}  // namespace

core::Result<std::vector<StackResource>> parse_describe_stack_resources(std::string_view xml) {
  pugi::xml_document doc;
  auto root = load_xml_reply(doc, xml, kReply);
  if (!root) return root.error();
  std::vector<StackResource> out;
  for (pugi::xml_node m :
       root->child("DescribeStackResourcesResult").child("StackResources").children("member")) {
    if (out.size() >= kMaxResources) return unreadable("too many resources");
    out.push_back({text(m, "LogicalResourceId"), text(m, "PhysicalResourceId"), text(m, "ResourceType"),
                   text(m, "ResourceStatus")});
  }
  return out;
}

core::Result<std::vector<StackResource>> describe_stack_resources(AwsClient& client, std::string_view stack) {
  http::Request req =
      query_protocol("DescribeStackResources", "2010-05-15", {{"StackName", std::string(stack)}});
  req.max_response_bytes = kMaxReplyBytes + 64 * 1024;
  auto reply = client.call("cloudformation", "cloudformation", std::move(req), "DescribeStackResources");
  auto annotate = [&](core::Error e) {
    return e.with("Stack", std::string(stack)).with("Region", client.region());
  };
  if (!reply) return annotate(reply.error());
  if (reply->error) {
    const AwsError& err = *reply->error;
    if (err.message.find("does not exist") != std::string::npos) {
      return annotate(core::make_error(core::ErrorCode::kNotFound, "Stack not found: " + std::string(stack),
                                       "Check the stack name and region"));
    }
    return annotate(to_core_error_saying(err, "DescribeStackResources"));
  }
  return parse_describe_stack_resources(reply->response.body);
}

}  // namespace bw::aws
