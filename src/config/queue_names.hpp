// config/queue_names.hpp: the names a deployment gives its resources, and the receive limit of its queues,
// derived from the two settings alone; pure.
//
// One module says them once. `deploy` (template, pre-flight, dead-letter commands), `service` and `cli` take
// them from here. `queue` does not: DESIGN's layering lets it use only core and aws, and a queue client has
// no business knowing how a deployment is named, so queue::WorkQueue and queue::Consumer are given their
// queue names and the receive limit as values by their callers in `service` and `cli`.
#pragma once

#include <string>
#include <string_view>

namespace bw::config {

//! Receives a message of the service's queues gets before SQS moves it to the dead-letter queue: the
//! template's redrive maxReceiveCount and the receive the consumers treat as the last.
inline constexpr int kMaxReceives = 5;

//! "benchling-webhook-<h>" (<h> = settings_hash): every resource a deployment names is called this or
//! starts with it (queues, Athena workgroup, task family, API, alarms), so two deployments never collide.
std::string deployment_name(std::string_view stack_arn, std::string_view secret);

//! The service's queues, "<d>" being deployment_name().
struct QueueNames {
  std::string work;         //!< "<d>.fifo": packaging jobs
  std::string canvas;       //!< "<d>-canvas.fifo": canvas view jobs, so a click never waits behind exports
  std::string dead_letter;  //!< "<d>-dlq.fifo": where both of those go after kMaxReceives
  std::string events;       //!< "<d>-events": Quilt package-revision events (standard queue)
  std::string events_dead_letter;  //!< "<d>-events-dlq": where an event goes after kMaxReceives
};

QueueNames queue_names(std::string_view stack_arn, std::string_view secret);

}  // namespace bw::config
