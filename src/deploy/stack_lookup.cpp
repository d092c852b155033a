#include "deploy/stack_lookup.hpp"

#include <cstdlib>

#include "aws/sqs.hpp"

namespace bw::deploy {

core::Result<aws::Stack> find_service_stack(aws::CloudFormation& cfn, std::string_view stack_name) {
  auto found = cfn.find_stack(stack_name);
  if (!found) return found.error();
  if (!*found) {
    return core::make_error(core::ErrorCode::kNotFound,
                            "Stack " + std::string(stack_name) + " not found in " + cfn_region(cfn),
                            "Deploy it with `benchling-webhook deploy`, or name yours with --stack-name")
        .with("Stack", std::string(stack_name));
  }
  return **found;
}

std::string cfn_region(aws::CloudFormation& cfn) {
  return cfn.client().region();
}

std::optional<QueueDepth> queue_depth(aws::Sqs& sqs, const aws::Stack& stack, std::string_view output) {
  auto url = stack.output(output);
  if (!url) return std::nullopt;
  QueueDepth depth;
  depth.name = aws::queue_name_from_url(*url);
  auto reachable = sqs.queue_url(stack_account(stack), depth.name);
  if (!reachable) return std::nullopt;
  auto attrs = sqs.get_queue_attributes(
      *reachable, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                   "ApproximateNumberOfMessagesDelayed"});
  if (!attrs) return std::nullopt;
  auto count = [&](const char* key) {
    auto it = attrs->find(key);
    return it == attrs->end() ? 0L : std::atol(it->second.c_str());
  };
  depth.waiting = count("ApproximateNumberOfMessages");
  depth.in_flight = count("ApproximateNumberOfMessagesNotVisible");
  depth.delayed = count("ApproximateNumberOfMessagesDelayed");
  return depth;
}

std::string stack_account(const aws::Stack& stack) {
  // arn:aws:cloudformation:us-east-1:123456789012:stack/name/id
  std::size_t pos = 0;
  for (int i = 0; i < 4; ++i) {
    pos = stack.id.find(':', pos);
    if (pos == std::string::npos) return {};
    ++pos;
  }
  const auto end = stack.id.find(':', pos);
  return end == std::string::npos ? std::string() : stack.id.substr(pos, end - pos);
}

}  // namespace bw::deploy
