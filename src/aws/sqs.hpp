// aws/sqs.hpp: SQS over the JSON 1.0 protocol (send, receive, delete, visibility, attributes, create).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.hpp"
#include "core/error.hpp"

namespace bw::aws {

//! SQS's limit on one message body (and on the whole SendMessage payload without attributes).
inline constexpr std::size_t kSqsMaxMessageBytes = 256 * 1024;

//! One received message. The body is returned exactly as SQS sent it.
struct SqsMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  //! System attributes: ApproximateReceiveCount, MessageGroupId, MessageDeduplicationId, SentTimestamp,
  //! ApproximateFirstReceiveTimestamp, SequenceNumber, SenderId.
  std::map<std::string, std::string> attributes;
  //! Message attributes the sender set (String and Number values; Binary ones are left out).
  std::map<std::string, std::string> message_attributes;

  //! The attribute `name`, or nullopt.
  std::optional<std::string> attribute(std::string_view name) const;
  //! ApproximateReceiveCount as a number; 0 when absent or unreadable.
  int receive_count() const;
};

//! Parses a ReceiveMessage reply body ({} or {"Messages": [...]}). Bounded: at most 10 messages, each
//! message's fields and attributes bounded; a message without MessageId, ReceiptHandle or Body makes the
//! whole reply kRemote (never quoted). Pure.
core::Result<std::vector<SqsMessage>> parse_receive_messages(std::string_view json);

//! SendMessageBatch's limit on entries per call.
inline constexpr std::size_t kSqsMaxBatchEntries = 10;

//! One message of a SendMessageBatch.
struct SqsBatchEntry {
  std::string id;  //!< unique within the batch: 1-80 of [A-Za-z0-9_-]
  std::string body;
  std::optional<std::string> group_id;  //!< FIFO queues
  std::optional<std::string> dedup_id;  //!< FIFO queues
};

//! An entry SQS did not take (the reply's Failed list).
struct SqsBatchFailure {
  std::string id;
  std::string code;
  std::string message;
  bool sender_fault = false;  //!< SQS says the entry itself is wrong: sending it again fails again
};

struct SqsBatchResult {
  std::map<std::string, std::string> sent;  //!< entry id -> MessageId (the reply's Successful list)
  std::vector<SqsBatchFailure> failed;      //!< entries neither sent nor failed are reported failed too
};

struct SqsOptions {
  //! Every call but ReceiveMessage, whose long poll sets its own. The intake path uses short ones: a
  //! webhook must be answered within Benchling's 3 s even when SQS hangs (the AwsClient's retries multiply
  //! it).
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds connect_timeout{5000};
};

class Sqs {
 public:
  explicit Sqs(AwsClient& client, SqsOptions options = {}) : client_(client), options_(options) {}

  AwsClient& client() const { return client_; }

  //! The endpoint's base URL + "/" + account + "/" + name: the URL that reaches the queue at the endpoint
  //! in use (a URL from CloudFormation names the AWS host even when testing against moto). Errors: a bad
  //! endpoint variable, an account that is not 12 digits, a name that is not a valid queue name
  //! (1-80 of [A-Za-z0-9_-], optionally ending in ".fifo"): kInvalidArgument.
  core::Result<std::string> queue_url(std::string_view account, std::string_view name) const;

  //! SendMessage; returns the MessageId. group_id / dedup_id are sent for FIFO queues when given;
  //! `attributes` become String message attributes (SQS counts them towards the 256 KiB limit).
  core::Result<std::string> send_message(std::string_view url, std::string_view body,
                                         std::optional<std::string> group_id = std::nullopt,
                                         std::optional<std::string> dedup_id = std::nullopt,
                                         const std::map<std::string, std::string>& attributes = {});

  //! SendMessageBatch of 1..kSqsMaxBatchEntries entries whose bodies add up to at most 256 KiB (else
  //! kInvalidArgument before any call). The call succeeds as a whole even when some entries failed: the
  //! caller retries what `failed` lists. An entry the reply names in neither list counts as failed.
  core::Result<SqsBatchResult> send_message_batch(std::string_view url,
                                                  const std::vector<SqsBatchEntry>& entries);

  //! ReceiveMessage with all system and message attributes. max is clamped to 1..10, wait_seconds to 0..20;
  //! the HTTP timeout is raised above wait_seconds so a long poll is not cut short.
  core::Result<std::vector<SqsMessage>> receive_messages(
      std::string_view url, int max, int wait_seconds, std::optional<int> visibility_timeout = std::nullopt);

  core::Result<void> delete_message(std::string_view url, std::string_view receipt_handle);
  //! ChangeMessageVisibility; seconds is clamped to 0..43200.
  core::Result<void> change_visibility(std::string_view url, std::string_view receipt_handle, int seconds);

  //! PurgeQueue: deletes every message, in flight or not (SQS: at most once a minute per queue).
  core::Result<void> purge_queue(std::string_view url);

  //! GetQueueAttributes for `names` (all when empty). Attributes SQS does not report are absent (a
  //! standard queue has no FifoQueue attribute).
  core::Result<std::map<std::string, std::string>> get_queue_attributes(
      std::string_view url, const std::vector<std::string>& names = {});

  //! CreateQueue; returns the queue URL exactly as SQS reports it (for tools and tests).
  core::Result<std::string> create_queue(std::string_view name,
                                         const std::map<std::string, std::string>& attributes = {});

  //! Errors of every call above: QueueDoesNotExist (JSON "com.amazonaws.sqs#QueueDoesNotExist" or query
  //! code AWS.SimpleQueueService.NonExistentQueue) -> kNotFound "SQS queue not found: <name>"; anything
  //! else -> to_core_error() with a "queue" detail. Replies are parsed with bounds; none is quoted.

 private:
  //! One JSON-protocol call; the reply body on 2xx, a mapped error otherwise.
  core::Result<std::string> call(std::string_view action, std::string body, std::string_view url,
                                 std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  AwsClient& client_;
  SqsOptions options_;
};

//! The queue name in a queue URL (its last path segment); the input when it has no '/'.
std::string queue_name_from_url(std::string_view url);

}  // namespace bw::aws
