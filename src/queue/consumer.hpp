// queue/consumer.hpp: the worker pool that turns work-queue messages into finished jobs.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/stop.hpp"
#include "core/time.hpp"
#include "queue/job.hpp"

namespace bw::aws {
class Sqs;
struct SqsMessage;
}  // namespace bw::aws
namespace bw::core::metrics {
class Counter;
class Gauge;
class Histogram;
class Registry;
}  // namespace bw::core::metrics

namespace bw::queue {

//! What a running job may ask of the pool.
class JobContext {
 public:
  explicit JobContext(core::StopToken stop, int receive_count, std::string message_id,
                      const char* kind = "unknown", const core::SteadyClock& clock = core::steady_clock())
      : stop_(std::move(stop)),
        clock_(clock),
        receive_count_(receive_count),
        message_id_(std::move(message_id)),
        kind_(kind) {}

  //! Sleeps up to `d`, woken at once by the pool's stop; false when stopping (the job should give up and
  //! leave its message).
  bool sleep_for(std::chrono::milliseconds d) const { return clock_.sleep_for(d, stop_); }
  bool stopping() const { return stop_.stop_requested(); }
  //! The pool's stop, for waits of the job's own (a stop callback, a condition variable).
  const core::StopToken& stop_token() const { return stop_; }
  //! 1 on the first delivery; the queue moves the message to the dead-letter queue after its receive limit.
  int receive_count() const { return receive_count_; }
  const std::string& message_id() const { return message_id_; }
  //! What the message turned out to be ("package", "canvas"), once the handler decoded it: the `kind` label
  //! of the job metrics and the "job" field of the consumer's log lines. Must be a string literal.
  void set_kind(const char* kind) const { kind_ = kind; }
  const char* kind() const { return kind_; }

 private:
  core::StopToken stop_;
  const core::SteadyClock& clock_;
  int receive_count_;
  std::string message_id_;
  mutable const char* kind_;  // learned by the handler, read by the consumer after it returns
};

//! Handles one message body. Success deletes the message; an error leaves it for redelivery.
using MessageHandler = std::function<core::Result<void>(std::string_view body, const JobContext& context)>;
//! Runs one job of the work queue.
using JobHandler = std::function<core::Result<void>(const Job& job, const JobContext& context)>;

//! A message handler that decodes work-queue jobs; an unreadable one fails (and ends in the DLQ). Once
//! decoded, the job's request id (core::log::request_id_for its webhook_id and envelope) is on every log
//! line the worker writes until the consumer is done with the message, and its kind labels the metrics.
MessageHandler job_message_handler(JobHandler handler);

//! How a received message ended, as the consumer tells them apart: the `outcome` label of
//! benchling_webhook_jobs_total.
enum class JobOutcome {
  kDone,        //!< succeeded; its message deleted
  kRetry,       //!< failed; the message comes back after a backoff
  kDeadLetter,  //!< failed on its fifth receive (the queue's redrive moves it), or failed permanently (moved
                //!< by the consumer at once)
  kReleased,    //!< interrupted by a stop; the message went back to the queue unfinished
};
//! "done", "retry", "dead_letter", "released".
const char* to_string(JobOutcome outcome);

//! How long `message` waited in its queue before this receive: `now` − its SentTimestamp (Unix milliseconds
//! on SQS's clock), clamped at zero against clock skew. nullopt when the attribute is missing or is not a
//! plain number of milliseconds.
std::optional<std::chrono::milliseconds> receive_lag(const aws::SqsMessage& message, core::SystemTime now);

struct ConsumerOptions {
  std::size_t workers = 4;
  int wait_seconds = 10;  //!< long-poll length; also bounds how long stop() waits for receives
  //! While a job runs, its message stays invisible this long and is extended every `heartbeat`.
  int visibility_timeout_s = 300;
  std::chrono::seconds heartbeat{60};
  //! After a failure, the message comes back after base * 2^(receives-1), capped.
  std::chrono::seconds retry_base{10};
  std::chrono::seconds retry_cap{300};
  //! Where jobs_total{kind,outcome}, job_duration_seconds{kind}, jobs_running and
  //! job_receive_lag_seconds{queue} go; null: nowhere.
  core::metrics::Registry* metrics = nullptr;
  //! The `queue` label of job_receive_lag_seconds: "work" (the work queue), "canvas", "package_events". A
  //! literal.
  const char* queue = "work";
  //! The `kind` label of a message whose handler does not name one (set_kind): "package_event" for the
  //! package-events queue; "unknown" for a work-queue message that could not be decoded.
  const char* kind = "unknown";
  //! The queue's dead-letter queue. A job failing with a permanent error (core::Error::permanent: retrying
  //! cannot help) is sent there at once, with its message group id, and deleted here, instead of using up
  //! its receives; so is a job failing on its last receive (`max_receives`), which SQS would move
  //! there on the next receive anyway. Either copy carries the error and its source queue as message
  //! attributes (queue/dead_letter_note.hpp), which SQS's own move could not record. Empty: permanent
  //! failures are retried like any other, and SQS moves jobs after their last receive.
  std::string dead_letter_url;
  //! The queue's redrive maxReceiveCount (config::kMaxReceives, given by the caller): a failure on this
  //! receive is the last. Unset: no receive is known to be the last, and SQS moves the message itself.
  int max_receives = std::numeric_limits<int>::max();
  //! The clock of the heartbeat, of JobContext::sleep_for and of the pause after a failed receive; null:
  //! core::steady_clock(). Tests pass a manual one. Every such sleep ends at once on stop.
  const core::SteadyClock* clock = nullptr;
};

//! Long-polls the work queue with `workers` threads. A message is deleted only after its job succeeded;
//! a failure, a crash or a stop leaves it for redelivery, and after `max_receives` receives the queue's
//! redrive policy moves it to the dead-letter queue. A permanent failure goes to `dead_letter_url` on its
//! first receive.
class Consumer {
 public:
  Consumer(aws::Sqs& sqs, std::string queue_url, MessageHandler handler, ConsumerOptions options);
  Consumer(aws::Sqs& sqs, std::string queue_url, JobHandler handler, ConsumerOptions options)
      : Consumer(sqs, std::move(queue_url), job_message_handler(std::move(handler)), options) {}
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  void start();
  //! Stops receiving (and wakes every sleep of this pool) without waiting, so consumers stopped together end
  //! their long polls together; stop() then waits for them.
  void request_stop();
  //! Stops receiving; jobs running get until `grace` to finish, then their messages are released for
  //! redelivery (they are never deleted unfinished) and their threads are joined (their blocking calls end
  //! on the stop). Returns the number of jobs that were unfinished at the grace.
  std::size_t stop(std::chrono::milliseconds grace);

  //! Jobs finished (deleted), failed (left for redelivery) and released at stop, since start.
  struct Stats {
    std::uint64_t succeeded = 0, failed = 0, released = 0;
  };
  Stats stats() const;

 private:
  void work();
  void heartbeat();
  void process(const aws::SqsMessage& message);
  //! Moves a failed message to the dead-letter queue: SendMessage there (same body, same group, its
  //! message id as the deduplication id, so a crash in between cannot make two copies, and `error` with
  //! the source queue as message attributes), then DeleteMessage here. False (logged) when either step
  //! failed; the message then takes the retry path.
  bool move_to_dead_letter(const aws::SqsMessage& message, const core::Error& error);
  //! Observes a first receive's queue lag (no-op without a registry). Redeliveries are left out: their
  //! age is the retry backoff, not a backlog.
  void record_lag(const aws::SqsMessage& message);
  //! Counts a finished message in the job metrics (no-op without a registry).
  void record(const char* kind, JobOutcome outcome, std::chrono::steady_clock::duration took);

  //! One kind's series, registered up front so that recording takes no lock.
  struct KindMetrics {
    const char* kind;
    core::metrics::Counter* outcomes[4];  //!< indexed by JobOutcome
    core::metrics::Histogram* duration;
  };

  aws::Sqs& sqs_;
  std::string url_;
  MessageHandler handler_;
  ConsumerOptions options_;
  const core::SteadyClock& clock_;
  //! Requested by request_stop(): wakes the heartbeat, the receive-failure pause and sleeping jobs.
  core::StopSource stop_;
  std::vector<std::thread> workers_;
  std::thread heartbeat_thread_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  //! receipt handle → when its visibility must next be extended (on clock_).
  std::map<std::string, core::SteadyClock::time_point> in_flight_;
  Stats stats_;

  std::vector<KindMetrics> kind_metrics_;  //!< fixed after construction
  core::metrics::Gauge* running_ = nullptr;
  core::metrics::Histogram* receive_lag_ = nullptr;
};

}  // namespace bw::queue
