// config/queue_names.hpp: the names a deployment gives its resources, and the receive limit of its queues,
// derived from the two settings alone; pure.
//
// One module says them once. `deploy` (template, pre-flight, dead-letter commands), `service` and `cli` take
// them from here. `queue` takes only the dead-letter attribute names (it writes them, deploy reads them): a
// queue client has no business knowing how a deployment is named, so queue::WorkQueue and queue::Consumer
// are given their queue names and the receive limit as values by their callers in `service` and `cli`.
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

// The message attributes the consumer writes on a job it moves to the dead-letter queue
// (queue/dead_letter_note.hpp) and `benchling-webhook jobs` reads (deploy/dead_letter_record.hpp).
//! Its last error, one line (queue::last_error_note).
inline constexpr const char* kLastErrorAttribute = "bw-last-error";
//! The queue the job came from (its name), so a redrive sends it back there and nowhere else.
inline constexpr const char* kSourceQueueAttribute = "bw-source-queue";
//! The message id it had there: the id on the service's log lines about it.
inline constexpr const char* kSourceMessageIdAttribute = "bw-source-message-id";
//! How many times the service received it there.
inline constexpr const char* kReceivesAttribute = "bw-receives";
//! Its SentTimestamp and ApproximateFirstReceiveTimestamp there (Unix ms); the copy gets new ones.
inline constexpr const char* kSentAtAttribute = "bw-sent-at";
inline constexpr const char* kFirstReceivedAttribute = "bw-first-received";

}  // namespace bw::config
