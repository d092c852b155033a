// queue/queue_name.hpp: names of the service's own SQS queues, derived from the two settings.
#pragma once

#include <string>
#include <string_view>

namespace bw::queue {

//! First 16 lowercase hex digits of SHA-256(stack_arn + "|" + secret), over the literal strings as given
//! (no normalisation), so every task of one deployment derives the same queue names.
std::string settings_hash(std::string_view stack_arn, std::string_view secret);

//! "benchling-webhook-<h>.fifo": the FIFO work queue.
std::string work_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-dlq.fifo": where a job goes after 5 receives.
std::string dead_letter_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-canvas.fifo": the FIFO queue of canvas view jobs, so a click never waits behind
//! long exports; it shares the work queue's dead-letter queue.
std::string canvas_queue_name(std::string_view stack_arn, std::string_view secret);
//! "benchling-webhook-<h>-events": the standard queue fed by the package-revision EventBridge rule.
std::string events_queue_name(std::string_view stack_arn, std::string_view secret);

//! The dead-letter queue of a FIFO work queue: "<base>.fifo" -> "<base>-dlq.fifo" (a name without
//! ".fifo" just gets "-dlq").
std::string dead_letter_queue_name_for(std::string_view work_queue_name);
//! The canvas queue of a FIFO work queue: "<base>.fifo" -> "<base>-canvas.fifo".
std::string canvas_queue_name_for(std::string_view work_queue_name);

}  // namespace bw::queue
