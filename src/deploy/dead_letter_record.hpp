// deploy/dead_letter_record.hpp: one dead-lettered message as `benchling-webhook jobs` shows it: read from
// SQS's attributes and the consumer's notes, rendered as text or JSON. Pure.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bw::aws {
struct SqsMessage;
}

namespace bw::deploy {

//! What a message body holds, as the CLI reads it: deploy cannot decode jobs (the queue module sits above
//! it), so the caller passes a JobDescriber.
struct JobSummary {
  std::string kind;  //!< "package" (entry packaging), "canvas" (canvas view), "package_event", "unreadable"
  std::string entry_id;
  std::string canvas_id;
  std::string event_type;   //!< Benchling's message.type, or the EventBridge detail-type
  std::string package;      //!< a package event's package name
  std::string received_at;  //!< when the service accepted the webhook (ISO 8601), "" when unknown
};
using JobDescriber = std::function<JobSummary(std::string_view body)>;

struct DeadLetter {
  std::string queue;  //!< the dead-letter queue it is in
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string group_id;  //!< MessageGroupId, "" in a standard queue
  JobSummary job;
  //! The queue it came from (a name): the consumer's note, else SQS's DeadLetterQueueSourceArn; "" when
  //! neither recorded it.
  std::string source_queue;
  std::string source_account;  //!< from DeadLetterQueueSourceArn; "" for the consumer's note (same account)
  std::string source_message_id;  //!< its id there, on the service's log lines (SQS keeps the id it moves)
  std::optional<std::int64_t> sent_ms;            //!< first queued (Unix ms)
  std::optional<std::int64_t> first_received_ms;  //!< first received by a worker (Unix ms)
  std::string dead_letter_sent;                   //!< this copy's SentTimestamp, as SQS gave it
  int receives = 0;
  bool receives_recorded = false;  //!< counted by the service; else SQS's count less this listing's receive
  std::string last_error;          //!< "" when not recorded (SQS moved it: the logs have it)
};

//! Reads `message`, received from the dead-letter queue `dlq`, with `describe` for its body.
DeadLetter read_dead_letter(const aws::SqsMessage& message, std::string_view dlq,
                            const JobDescriber& describe);

//! The queue name and account of an SQS ARN (arn:aws:sqs:<region>:<account>:<name>); nullopt when malformed.
std::optional<std::pair<std::string, std::string>> parse_sqs_arn(std::string_view arn);

//! The MessageDeduplicationId a redrive sends: derived from the dead letter's id and its SentTimestamp, so a
//! redrive repeated within SQS's 5-minute window is not queued twice, while the same job failing again
//! later (a new dead-letter copy) is not mistaken for a repeat. At most 128 characters.
std::string redrive_dedup_id(const DeadLetter& letter);

//! Whether `name` is one of this deployment's queues ("<prefix>.fifo", "<prefix>-..."), where `prefix` is
//! "benchling-webhook-<h>": a redrive sends nowhere else, whatever a message's attributes say.
bool is_deployment_queue(std::string_view name, std::string_view prefix);

//! `benchling-webhook logs` for the lines about a message whose last error was not recorded.
std::string logs_command(const DeadLetter& letter);

//! "entry packaging", "canvas view", "package event", "unreadable message".
std::string kind_label(std::string_view kind);

//! The JSON of one dead letter (no receipt handle, no body).
boost::json::object to_json(const DeadLetter& letter);

//! Text: one block per dead letter.
void render_dead_letters(std::ostream& out, const std::vector<DeadLetter>& letters);

}  // namespace bw::deploy
