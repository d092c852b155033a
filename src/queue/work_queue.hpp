// queue/work_queue.hpp: the producer side of the service's FIFO work queue.
#pragma once

#include <string>
#include <string_view>

#include "aws/sqs.hpp"
#include "core/error.hpp"
#include "queue/job.hpp"

namespace bw::queue {

//! The MessageDeduplicationId of `job`: the webhook id itself when SQS accepts it (1-128 characters of
//! alphanumerics and punctuation), else the hex SHA-256 of the webhook id, else (no webhook id) the hex
//! SHA-256 of the envelope. A second delivery of one webhook within SQS's 5-minute window is dropped.
std::string deduplication_id(const Job& job);

//! The service's FIFO queues in one account and region: the work queue for packaging jobs and, beside it,
//! the canvas queue for canvas views (its own workers, so a click never waits behind long exports); both
//! redrive to the work queue's dead-letter queue. Thread-safe when the Sqs client is (AwsClient is).
class WorkQueue {
 public:
  //! `name` is the work queue ("benchling-webhook-<h>.fifo"); its DLQ is dead_letter_queue_name_for(name),
  //! the canvas queue canvas_queue_name_for(name).
  WorkQueue(aws::Sqs& sqs, std::string account, std::string name);

  const std::string& name() const { return name_; }
  const std::string& canvas_name() const { return canvas_name_; }
  //! The queue a job of `kind` goes to: the canvas queue for kCanvas, else the work queue.
  const std::string& name_for(JobKind kind) const { return kind == JobKind::kCanvas ? canvas_name_ : name_; }
  const std::string& account() const { return account_; }
  //! The queue URL at the SQS endpoint in use (Sqs::queue_url); kInvalidConfig when the account or
  //! name is invalid or the endpoint variable is malformed.
  core::Result<std::string> url() const { return url_of(name_); }
  core::Result<std::string> canvas_url() const { return url_of(canvas_name_); }

  //! SendMessage to name_for(job.kind) of encode_job(job) with MessageGroupId = job.group_id and
  //! MessageDeduplicationId = deduplication_id(job); returns the MessageId. Errors:
  //! - kTooLarge for a job larger than SQS takes (413), kInvalidArgument for one that cannot be encoded
  //! (400);
  //! - kNotFound "Work queue not found: <name>" (or "Canvas queue ...") whose suggestion says to deploy
  //!   (the stack creates both);
  //! - anything SQS or the network says (kTransport, kThrottled, kAccessDenied, ...), healable.
  core::Result<std::string> enqueue(const Job& job);

  //! GetQueueAttributes(FifoQueue, RedrivePolicy) of both queues. Errors: kNotFound as in enqueue;
  //! kInvalidConfig "Work queue <name> is not a FIFO queue" (or "Canvas queue"). A queue without a redrive
  //! policy is accepted with a warning in the log (failing jobs would then be retried forever instead of
  //! moving to the DLQ).
  core::Result<void> check();

 private:
  core::Result<std::string> url_of(const std::string& name) const;
  core::Error not_found(const std::string& name, const core::Error& cause) const;
  core::Result<void> check_one(const std::string& name) const;

  aws::Sqs& sqs_;
  std::string account_;
  std::string name_;
  std::string canvas_name_;
};

}  // namespace bw::queue
