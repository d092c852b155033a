#include "aws/cloudformation.hpp"

#include <pugixml.hpp>

namespace bw::aws {

namespace {

constexpr std::size_t kMaxReplyBytes = 4 * 1024 * 1024;

core::Error stack_not_found(std::string_view name, std::string_view region) {
  core::Error e =
      core::make_error(core::ErrorCode::kNotFound, "Stack not found: " + std::string(name),
                       "Check the QuiltStackARN: the stack must exist in the region and account named "
                       "in the ARN (arn:aws:cloudformation:<region>:<account>:stack/<name>/<id>)");
  e.with("Stack", std::string(name));
  if (!region.empty()) e.with("Region", std::string(region));
  return e;
}

}  // namespace

std::optional<std::string> Stack::output(std::string_view key) const {
  for (const auto& o : outputs) {
    if (o.key == key) return o.value;
  }
  return std::nullopt;
}

core::Result<Stack> parse_describe_stacks(std::string_view xml, std::string_view stack_name) {
  auto unreadable = [&](std::string why) {
    return core::make_error(core::ErrorCode::kRemote,
                            "CloudFormation DescribeStacks reply is unreadable: " + why,
                            "Retry later; if it persists, check AWS_ENDPOINT_URL")
        .with("Stack", std::string(stack_name));
  };
  if (xml.size() > kMaxReplyBytes) return unreadable("larger than 4 MiB");
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return unreadable("not XML");
  pugi::xml_node root = doc.child("DescribeStacksResponse");
  if (!root) return unreadable("no DescribeStacksResponse");
  pugi::xml_node member = root.child("DescribeStacksResult").child("Stacks").child("member");
  if (!member) return stack_not_found(stack_name, "");

  Stack stack;
  stack.name = member.child_value("StackName");
  stack.id = member.child_value("StackId");
  stack.status = member.child_value("StackStatus");
  for (pugi::xml_node out : member.child("Outputs").children("member")) {
    stack.outputs.push_back({out.child_value("OutputKey"), out.child_value("OutputValue")});
  }
  return stack;
}

core::Result<Stack> CloudFormation::describe_stack(std::string_view stack_name_or_arn) {
  const std::string name(stack_name_or_arn);
  auto reply =
      client_.call("cloudformation", "cloudformation",
                   query_protocol("DescribeStacks", "2010-05-15", {{"StackName", name}}), "DescribeStacks");
  if (!reply) return reply.error();
  if (!reply->error) {
    auto stack = parse_describe_stacks(reply->response.body, name);
    if (!stack && stack.error().code == core::ErrorCode::kNotFound)
      return stack_not_found(name, client_.region());
    return stack;
  }

  const AwsError& err = *reply->error;
  if (err.code == "ValidationError") {
    if (err.message.find("does not exist") != std::string::npos) {
      return stack_not_found(name, client_.region()).with("AWS said", err.message);
    }
    return core::make_error(core::ErrorCode::kInvalidArgument, "Invalid stack name: " + name,
                            "Check that the stack name is correct")
        .with("Stack", name)
        .with("AWS said", err.message);
  }
  core::Error e = to_core_error(err, "DescribeStacks");
  e.message = "Failed to describe stack: " + err.message;
  if (e.code != core::ErrorCode::kCredentials && e.code != core::ErrorCode::kAccessDenied) {
    e.suggestion = "Check AWS credentials and permissions";
  }
  e.details.insert(e.details.begin(), {"Region", client_.region()});
  e.details.insert(e.details.begin(), {"Stack", name});
  return e;
}

}  // namespace bw::aws
