#include "deploy/queue_check.hpp"

#include <algorithm>

namespace bw::deploy {

core::Result<void> check_queue_names(const std::vector<QueueFound>& queues,
                                     const std::vector<std::string>& owned, std::string_view stack_name,
                                     std::string_view region) {
  std::vector<const QueueFound*> foreign;
  for (const auto& q : queues) {
    if (q.url.empty()) continue;
    if (std::find(owned.begin(), owned.end(), q.name) == owned.end()) foreign.push_back(&q);
  }
  if (foreign.empty()) return {};
  const std::string stack(stack_name);
  std::string message = foreign.size() == 1
                            ? "Queue " + foreign.front()->name + " already exists"
                            : std::to_string(foreign.size()) + " of the service's queues already exist";
  message.append(" and ")
      .append(foreign.size() == 1 ? "is" : "are")
      .append(" not part of stack ")
      .append(stack);
  message.append(": left by another stack deployed with the same Quilt stack and secret, or made by hand");
  std::string commands;
  for (const auto* q : foreign) {
    commands.append("\n    aws sqs delete-queue --queue-url ")
        .append(q->url)
        .append(" --region ")
        .append(region);
  }
  core::Error e = core::make_error(
      core::ErrorCode::kInvalidConfig, std::move(message),
      "Destroy the other stack (`benchling-webhook destroy --stack-name <its name>`), or deploy with its "
      "--stack-name to update it; else, once nothing still needs the jobs in them (let them drain, or "
      "check with `aws sqs get-queue-attributes --attribute-names ApproximateNumberOfMessages`), delete:" +
          commands + "\n  and deploy again a minute later (SQS frees a deleted queue's name after 60 s)");
  for (const auto* q : foreign) e.with(q->name, q->url);
  return e;
}

}  // namespace bw::deploy
