#include "config/queue_names.hpp"

#include "config/settings_hash.hpp"

namespace bw::config {

std::string deployment_name(std::string_view stack_arn, std::string_view secret) {
  return std::string("benchling-webhook-").append(settings_hash(stack_arn, secret));
}

QueueNames queue_names(std::string_view stack_arn, std::string_view secret) {
  const std::string d = deployment_name(stack_arn, secret);
  QueueNames names;
  names.work = d + ".fifo";
  names.canvas = d + "-canvas.fifo";
  names.dead_letter = d + "-dlq.fifo";
  names.events = d + "-events";
  names.events_dead_letter = d + "-events-dlq";
  return names;
}

}  // namespace bw::config
