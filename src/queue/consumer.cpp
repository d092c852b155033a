#include "queue/consumer.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstring>

#include "aws/sqs.hpp"
#include "core/log.hpp"
#include "core/log_context.hpp"
#include "core/metrics.hpp"
#include "queue/dead_letter_note.hpp"

namespace bw::queue {
namespace {
using Clock = std::chrono::steady_clock;

constexpr const char* kJobsTotal = "benchling_webhook_jobs_total";
constexpr const char* kJobsTotalHelp = "Messages the workers finished, by job kind and outcome.";
constexpr const char* kJobDuration = "benchling_webhook_job_duration_seconds";
constexpr const char* kJobDurationHelp = "How long jobs ran, by job kind, whatever their outcome.";
constexpr const char* kReceiveLag = "benchling_webhook_job_receive_lag_seconds";
constexpr const char* kReceiveLagHelp =
    "How long messages waited in their queue before a worker first received them (SQS SentTimestamp to "
    "receive), by queue.";
//! From a worker that was already waiting (tens of ms) to a backlog behind 30-minute exports.
std::vector<double> lag_buckets() {
  return {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600};
}
constexpr JobOutcome kOutcomes[] = {JobOutcome::kDone, JobOutcome::kRetry, JobOutcome::kDeadLetter,
                                    JobOutcome::kReleased};
}  // namespace

const char* to_string(JobOutcome outcome) {
  switch (outcome) {
    case JobOutcome::kDone:
      return "done";
    case JobOutcome::kRetry:
      return "retry";
    case JobOutcome::kDeadLetter:
      return "dead_letter";
    case JobOutcome::kReleased:
      return "released";
  }
  return "done";
}

std::optional<std::chrono::milliseconds> receive_lag(const aws::SqsMessage& message, core::SystemTime now) {
  auto sent = message.attribute("SentTimestamp");
  // Digits only, and few enough that the value fits: 15 digits of milliseconds reach the year 33658.
  if (!sent || sent->empty() || sent->size() > 15 ||
      !std::all_of(sent->begin(), sent->end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const core::SystemTime sent_at{std::chrono::milliseconds(std::stoll(*sent))};
  if (now <= sent_at) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - sent_at);
}

MessageHandler job_message_handler(JobHandler handler) {
  return
      [handler = std::move(handler)](std::string_view body, const JobContext& context) -> core::Result<void> {
        auto job = decode_job(body);
        if (!job) return job.error();  // can never succeed: it reaches the DLQ after its receives
        context.set_kind(to_string(job->kind));
        // Until Consumer::process is done with this message, every line carries the webhook's request id.
        core::log::set_request_id(core::log::request_id_for(job->webhook_id, job->envelope));
        core::log::info("job started", {{"job", to_string(job->kind)},
                                        {"route", job->route},
                                        {"group", job->group_id},
                                        {"message_id", context.message_id()},
                                        {"receives", context.receive_count()},
                                        {"received_at", job->received_at}});
        return handler(*job, context);
      };
}

Consumer::Consumer(aws::Sqs& sqs, std::string queue_url, MessageHandler handler, ConsumerOptions options)
    : sqs_(sqs),
      url_(std::move(queue_url)),
      handler_(std::move(handler)),
      options_(options),
      clock_(options.clock ? *options.clock : core::steady_clock()) {
  if (!options_.metrics) return;
  core::metrics::Registry& registry = *options_.metrics;
  running_ = &registry.gauge("benchling_webhook_jobs_running", "Jobs the workers are running now.");
  receive_lag_ =
      &registry.histogram(kReceiveLag, kReceiveLagHelp, lag_buckets(), {{"queue", options_.queue}});
  for (const char* kind : {to_string(JobKind::kPackage), to_string(JobKind::kCanvas), options_.kind}) {
    if (std::any_of(kind_metrics_.begin(), kind_metrics_.end(),
                    [kind](const KindMetrics& m) { return std::strcmp(m.kind, kind) == 0; }))
      continue;
    KindMetrics m{kind, {}, nullptr};
    for (JobOutcome o : kOutcomes) {
      m.outcomes[int(o)] =
          &registry.counter(kJobsTotal, kJobsTotalHelp, {{"kind", kind}, {"outcome", to_string(o)}});
    }
    m.duration = &registry.histogram(kJobDuration, kJobDurationHelp, core::metrics::duration_buckets(),
                                     {{"kind", kind}});
    kind_metrics_.push_back(m);
  }
}

void Consumer::record(const char* kind, JobOutcome outcome, Clock::duration took) {
  if (!options_.metrics) return;
  const double seconds = std::chrono::duration<double>(took).count();
  for (const auto& m : kind_metrics_) {
    if (std::strcmp(m.kind, kind) != 0) continue;
    m.outcomes[int(outcome)]->inc();
    m.duration->observe(seconds);
    return;
  }
  // A kind nobody registered up front (a handler's own literal): still bounded, only slower.
  options_.metrics->counter(kJobsTotal, kJobsTotalHelp, {{"kind", kind}, {"outcome", to_string(outcome)}})
      .inc();
  options_.metrics
      ->histogram(kJobDuration, kJobDurationHelp, core::metrics::duration_buckets(), {{"kind", kind}})
      .observe(seconds);
}

void Consumer::record_lag(const aws::SqsMessage& message) {
  if (!receive_lag_ || message.receive_count() > 1) return;
  if (auto lag = receive_lag(message, core::system_now()))
    receive_lag_->observe(std::chrono::duration<double>(*lag).count());
}

Consumer::~Consumer() {
  stop(std::chrono::milliseconds(0));
}

void Consumer::start() {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.workers); ++i) {
    workers_.emplace_back([this] { work(); });
  }
  heartbeat_thread_ = std::thread([this] { heartbeat(); });
}

void Consumer::request_stop() {
  stop_.request_stop();
}

std::size_t Consumer::stop(std::chrono::milliseconds grace) {
  if (workers_.empty()) return 0;
  request_stop();
  std::vector<std::string> unfinished;
  {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, grace, [this] { return in_flight_.empty(); });
    for (const auto& [receipt, _] : in_flight_) unfinished.push_back(receipt);
    in_flight_.clear();  // a job finishing after this sees its message released and leaves it alone
  }
  // Jobs still running cannot finish before we exit: make their messages visible again now, so another
  // task picks them up at once instead of after the visibility timeout. They were never deleted.
  for (const auto& receipt : unfinished) {
    if (sqs_.change_visibility(url_, receipt, 0)) {
      std::lock_guard lock(mutex_);
      ++stats_.released;
    }
  }
  if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
  if (!unfinished.empty()) {
    core::log::warn("stopped with jobs unfinished; their messages went back to the queue",
                    {{"unfinished", unfinished.size()}});
  }
  // Every blocking call of a job ends at once on the stop (its clients carry the stop token), so the jobs
  // still running are only winding down; ECS's stop timeout is the last resort if one is not.
  for (auto& t : workers_) t.join();
  workers_.clear();
  return unfinished.size();
}

Consumer::Stats Consumer::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void Consumer::work() {
  unsigned failures = 0;
  const core::StopToken stop = stop_.get_token();
  while (!stop.stop_requested()) {
    auto received = sqs_.receive_messages(url_, 1, options_.wait_seconds, options_.visibility_timeout_s);
    if (!received) {
      // The queue is unreachable: back off (bounded), then try again.
      ++failures;
      core::log::warn("work queue receive failed",
                      {{"error", received.error().message}, {"attempt", failures}});
      const auto pause = std::chrono::seconds(std::min(30u, 1u << std::min(failures, 5u)));
      clock_.sleep_for(pause, stop);
      continue;
    }
    failures = 0;
    for (const auto& m : *received) {
      record_lag(m);
      if (stop.stop_requested()) {
        (void)sqs_.change_visibility(url_, m.receipt_handle, 0);  // not started: straight back to the queue
        continue;
      }
      process(m);
    }
  }
}

bool Consumer::move_to_dead_letter(const aws::SqsMessage& message, const core::Error& error) {
  auto attributes = dead_letter_attributes(message, aws::queue_name_from_url(url_), error);
  if (message.body.size() + attributes_size(attributes) > aws::kSqsMaxMessageBytes) {
    attributes.clear();  // SQS counts them in its 256 KiB: the job itself matters more than the note
  }
  auto sent = sqs_.send_message(
      options_.dead_letter_url, message.body, message.attribute("MessageGroupId"),
      message.attribute("MessageGroupId") ? std::optional(message.message_id) : std::nullopt, attributes);
  if (!sent) {
    core::log::warn("could not move a permanently failed job to the dead-letter queue; it will be retried",
                    {{"message_id", message.message_id}, {"error", sent.error().message}});
    return false;
  }
  if (auto deleted = sqs_.delete_message(url_, message.receipt_handle); !deleted) {
    // The copy is in the dead-letter queue; this one comes back, fails again and is deduplicated there.
    core::log::warn("job moved to the dead-letter queue but its message could not be deleted",
                    {{"message_id", message.message_id}, {"error", deleted.error().message}});
    return false;
  }
  return true;
}

void Consumer::process(const aws::SqsMessage& message) {
  const std::string& receipt = message.receipt_handle;
  const std::string& body = message.body;
  const int receive_count = message.receive_count();
  const std::string& message_id = message.message_id;
  {
    std::lock_guard lock(mutex_);
    in_flight_[receipt] = clock_.now() + options_.heartbeat;
  }
  // The handler sets the job's request id (job_message_handler); it stays on this thread's log lines until
  // the message is settled below.
  core::log::RequestScope request_scope;
  const auto started = Clock::now();
  JobContext context(stop_.get_token(), receive_count, message_id, options_.kind, clock_);
  if (running_) running_->inc();
  core::Result<void> outcome = handler_(body, context);
  const auto took = Clock::now() - started;
  if (running_) running_->dec();
  const auto took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();

  {
    std::lock_guard lock(mutex_);
    if (in_flight_.erase(receipt) == 0) {  // released by stop(): not ours to touch any more
      record(context.kind(), JobOutcome::kReleased, took);
      return;
    }
  }
  boost::json::object fields{{"job", context.kind()},
                             {"queue", url_.substr(url_.rfind('/') + 1)},
                             {"message_id", message_id},
                             {"receives", receive_count},
                             {"duration_ms", took_ms}};
  if (outcome) {
    if (auto deleted = sqs_.delete_message(url_, receipt); !deleted) {
      // The job is done but its message will come back; jobs are idempotent, so that costs a rerun only.
      fields["error"] = deleted.error().message;
      core::log::warn("job done but its message could not be deleted", std::move(fields));
    } else {
      core::log::info("job done", std::move(fields));
    }
    record(context.kind(), JobOutcome::kDone, took);
  } else if (stop_.stop_requested() || outcome.error().code == core::ErrorCode::kCancelled) {
    // Interrupted by the stop: back to the queue at once, for another task.
    (void)sqs_.change_visibility(url_, receipt, 0);
    fields["error"] = outcome.error().message;
    core::log::info("job interrupted by shutdown; message released", std::move(fields));
    record(context.kind(), JobOutcome::kReleased, took);
    std::lock_guard lock(mutex_);
    ++stats_.released;
    changed_.notify_all();
    return;
  } else if (const bool last = receive_count >= options_.max_receives;
             (outcome.error().permanent || last) && !options_.dead_letter_url.empty() &&
             move_to_dead_letter(message, outcome.error())) {
    fields["error"] = outcome.error().message;
    fields["suggestion"] = outcome.error().suggestion;
    core::log::error(
        outcome.error().permanent
            ? "job failed permanently; its message went to the dead-letter queue at once, unretried"
            : "job failed; its message now goes to the dead-letter queue",
        std::move(fields));
    record(context.kind(), JobOutcome::kDeadLetter, took);
  } else {
    // Errors that cannot heal (the entry does not exist, an unreadable job) come back at once, so they
    // reach the dead-letter queue after their last receive without waiting out the backoff.
    const auto delay =
        !outcome.error().healable()
            ? std::int64_t(0)
            : std::min<std::int64_t>(options_.retry_cap.count(), options_.retry_base.count()
                                                                     << std::clamp(receive_count - 1, 0, 10));
    (void)sqs_.change_visibility(url_, receipt, int(delay));
    fields["error"] = outcome.error().message;
    fields["suggestion"] = outcome.error().suggestion;
    fields["retry_in_s"] = delay;
    const bool dead = receive_count >= options_.max_receives;
    core::log::error(
        dead ? "job failed; its message now goes to the dead-letter queue" : "job failed; it will be retried",
        std::move(fields));
    record(context.kind(), dead ? JobOutcome::kDeadLetter : JobOutcome::kRetry, took);
  }
  std::lock_guard lock(mutex_);
  ++(outcome ? stats_.succeeded : stats_.failed);
  changed_.notify_all();
}

void Consumer::heartbeat() {
  // Sleeps until the earliest extension is due, at most one interval: a job that starts meanwhile is due one
  // interval after its start, so never before this wakes.
  const core::StopToken stop = stop_.get_token();
  auto wake = clock_.now() + options_.heartbeat;
  while (clock_.sleep_until(wake, stop)) {  // false on stop: stop() releases what is left
    std::vector<std::string> due;
    {
      std::lock_guard lock(mutex_);
      const auto now = clock_.now();
      wake = now + options_.heartbeat;
      for (auto& [receipt, next] : in_flight_) {
        if (now >= next) {
          due.push_back(receipt);
          next = now + options_.heartbeat;
        }
        wake = std::min(wake, next);
      }
    }
    // Keep a long job's message invisible, so no other worker starts it twice.
    for (const auto& receipt : due) {
      if (auto ok = sqs_.change_visibility(url_, receipt, options_.visibility_timeout_s); !ok) {
        core::log::warn("could not extend a running job's visibility", {{"error", ok.error().message}});
      }
    }
  }
}

}  // namespace bw::queue
