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

//! The service's FIFO work queue (and, for messages, its dead-letter queue) in one account and region.
//! Thread-safe when the Sqs client is (AwsClient is).
class WorkQueue {
 public:
  //! `name` is the work queue ("benchling-webhook-<h>.fifo"); its DLQ is dead_letter_queue_name_for(name).
  WorkQueue(aws::Sqs& sqs, std::string account, std::string name);

  const std::string& name() const { return name_; }
  const std::string& account() const { return account_; }
  //! The queue URL at the SQS endpoint in use (Sqs::queue_url); kInvalidConfig when the account or
  //! name is invalid or the endpoint variable is malformed.
  core::Result<std::string> url() const;

  //! SendMessage of encode_job(job) with MessageGroupId = job.group_id and MessageDeduplicationId =
  //! deduplication_id(job); returns the MessageId. Errors:
  //! - kInvalidArgument only for a job that cannot be encoded; is_job_too_large() tells 413 from 400;
  //! - kNotFound "Work queue not found: <name>" whose suggestion says to deploy (the stack creates it);
  //! - anything SQS or the network says (kTransport, kThrottled, kAccessDenied, ...), healable.
  core::Result<std::string> enqueue(const Job& job);

  //! GetQueueAttributes(FifoQueue, RedrivePolicy). Errors: kNotFound as in enqueue; kInvalidConfig
  //! "Work queue <name> is not a FIFO queue". A queue without a redrive policy is accepted with a
  //! warning in the log (failing jobs would then be retried forever instead of moving to the DLQ).
  core::Result<void> check();

 private:
  core::Error not_found(const core::Error& cause) const;

  aws::Sqs& sqs_;
  std::string account_;
  std::string name_;
};

}  // namespace bw::queue
