#include "deploy/preflight_queues.hpp"

#include <ostream>

#include "aws/cloudformation.hpp"
#include "aws/cloudformation_resources.hpp"
#include "aws/sqs.hpp"
#include "config/queue_names.hpp"
#include "deploy/queue_check.hpp"

namespace bw::deploy {

core::Result<void> preflight_queues(aws::CloudFormation& cfn, aws::Sqs& sqs, std::string_view account,
                                    std::string_view stack_arn, std::string_view secret,
                                    std::string_view stack_name, std::ostream& out) {
  auto fail = [&](const core::Error& e) {
    out << "  [FAIL] Queues: " << e.message << "\n";
    return e;
  };
  std::vector<QueueFound> queues;
  bool any = false;
  const config::QueueNames names = config::queue_names(stack_arn, secret);
  for (const std::string& name :
       {names.work, names.canvas, names.dead_letter, names.events, names.events_dead_letter}) {
    auto url = sqs.queue_url(account, name);
    if (!url) return fail(url.error());
    auto attributes = sqs.get_queue_attributes(*url, {"QueueArn"});
    if (!attributes && attributes.error().code != core::ErrorCode::kNotFound) return fail(attributes.error());
    queues.push_back({name, attributes ? *url : std::string()});
    any = any || attributes.has_value();
  }
  const std::string family = config::deployment_name(stack_arn, secret) + "*";
  if (!any) {
    out << "  [ok]   Queues: none of " << family << " exists yet (the stack creates them)\n";
    return {};
  }
  std::vector<std::string> owned;
  auto stack = cfn.find_stack(stack_name);
  if (!stack) return fail(stack.error());
  if (*stack) {
    auto resources = aws::describe_stack_resources(sqs.client(), (*stack)->id);
    if (!resources) return fail(resources.error());
    for (const auto& r : *resources) {
      if (r.type == "AWS::SQS::Queue" && !r.physical_id.empty()) {
        owned.push_back(aws::queue_name_from_url(r.physical_id));
      }
    }
  }
  if (auto ok = check_queue_names(queues, owned, stack_name, sqs.client().region()); !ok) {
    out << "  [FAIL] Queues: " << ok.error().message << "\n";
    for (const auto& [name, url] : ok.error().details) out << "  [FAIL] " << name << ": " << url << "\n";
    return ok.error();
  }
  out << "  [ok]   Queues: " << family << " belong to stack " << stack_name << "\n";
  return {};
}

}  // namespace bw::deploy
