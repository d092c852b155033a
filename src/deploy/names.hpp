// deploy/names.hpp: the physical names the template gives the service's own queues.
#pragma once

#include <string>
#include <string_view>

namespace bw::deploy {

//! config::settings_hash: the service derives its queue and workgroup names from its two settings, so
//! the template must create exactly those names (queue/queue_name.hpp keeps its own copy: queue may not
//! link config).
std::string settings_hash(std::string_view stack_arn, std::string_view secret);

//! "benchling-webhook-<h>.fifo"
std::string work_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-dlq.fifo"
std::string dead_letter_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-canvas.fifo": canvas view jobs, beside the work queue (same dead-letter queue)
std::string canvas_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-events"
std::string events_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-events-dlq": where an undeliverable package event goes after 5 receives.
std::string events_dead_letter_queue_name(std::string_view stack_arn, std::string_view secret);

}  // namespace bw::deploy
