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

//! The names of the service's FIFO queues, given by the caller (config/queue_names.hpp derives them; the
//! queue module does not know how a deployment is named).
struct WorkQueueNames {
  std::string work;         //!< packaging jobs
  std::string canvas;       //!< canvas view jobs
  std::string dead_letter;  //!< where both redrive; only named in errors and logs
};

//! The service's FIFO queues in one account and region: the work queue for packaging jobs and, beside it,
//! the canvas queue for canvas views (its own workers, so a click never waits behind long exports); both
//! redrive to the work queue's dead-letter queue. Thread-safe when the Sqs client is (AwsClient is).
class WorkQueue {
 public:
  WorkQueue(aws::Sqs& sqs, std::string account, WorkQueueNames names);

  const std::string& name() const { return names_.work; }
  const std::string& canvas_name() const { return names_.canvas; }
  //! The queue a job of `kind` goes to: the canvas queue for kCanvas, else the work queue.
  const std::string& name_for(JobKind kind) const {
    return kind == JobKind::kCanvas ? names_.canvas : names_.work;
  }
  const std::string& account() const { return account_; }
  //! The queue URL at the SQS endpoint in use (Sqs::queue_url); kInvalidConfig when the account or
  //! name is invalid or the endpoint variable is malformed.
  core::Result<std::string> url() const { return url_of(names_.work); }
  core::Result<std::string> canvas_url() const { return url_of(names_.canvas); }

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
  WorkQueueNames names_;
};

}  // namespace bw::queue
