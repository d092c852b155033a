#include "service/workers.hpp"

#include "aws/sqs.hpp"
#include "config/queue_names.hpp"
#include "core/log.hpp"
#include "queue/consumer.hpp"
#include "queue/work_queue.hpp"
#include "service/jobs.hpp"

namespace bw::service {

namespace {

//! Canvas views take seconds: a crashed worker's view is retried after a minute, not five.
constexpr int kCanvasVisibilityTimeoutS = 60;

void log_critical(const core::Error& e) {
  core::log::write(core::LogLevel::kCritical, e.message,
                   {{"error", core::to_string(e.code)}, {"suggestion", e.suggestion}});
}

}  // namespace

Workers::Workers(aws::Sqs& sqs, const config::Settings& settings, queue::WorkQueue& queues, JobRunner& runner,
                 core::metrics::Registry& metrics, WorkersOptions options)
    : sqs_(sqs),
      settings_(settings),
      queues_(queues),
      runner_(runner),
      metrics_(metrics),
      options_(options) {}

Workers::~Workers() = default;

void Workers::start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopped_) return;
  started_ = true;
  start_locked();
}

void Workers::start_locked() {
  if (options_.workers == 0) {
    core::log::info("no workers (--workers 0): jobs stay in the work and canvas queues for another process");
    return;
  }
  auto url = queues_.url();
  if (!url) return log_critical(url.error());
  auto canvas_url = queues_.canvas_url();
  if (!canvas_url) return log_critical(canvas_url.error());
  auto run_job = [this](const queue::Job& job, const queue::JobContext& context) {
    return runner_.run(job, context);
  };

  const config::QueueNames names = config::queue_names(settings_.stack.arn, settings_.secret_id);
  queue::ConsumerOptions work;
  work.max_receives = config::kMaxReceives;
  work.workers = options_.workers;
  work.visibility_timeout_s = options_.visibility_timeout_s;
  work.heartbeat = std::chrono::seconds(std::max(1, options_.visibility_timeout_s / 5));
  work.metrics = &metrics_;
  // Permanent failures skip the remaining receives. A bad URL here only means they take the long way.
  if (auto dlq = sqs_.queue_url(settings_.stack.account, names.dead_letter)) {
    work.dead_letter_url = *dlq;
  }
  work_ = std::make_unique<queue::Consumer>(sqs_, *url, run_job, work);
  work_->start();

  if (options_.canvas_workers > 0) {
    queue::ConsumerOptions canvas = work;
    canvas.workers = options_.canvas_workers;
    canvas.visibility_timeout_s = kCanvasVisibilityTimeoutS;
    canvas.heartbeat = std::chrono::seconds(kCanvasVisibilityTimeoutS / 5);
    canvas.queue = "canvas";
    canvas_ = std::make_unique<queue::Consumer>(sqs_, *canvas_url, run_job, canvas);
    canvas_->start();
  }

  // Live canvas refresh: Quilt's package-revision events, fed to this queue by an EventBridge rule.
  const std::string& events_name = names.events;
  auto events_url = sqs_.queue_url(settings_.stack.account, events_name);
  if (events_url && sqs_.get_queue_attributes(*events_url, {"QueueArn"})) {
    queue::ConsumerOptions events;
    events.max_receives = config::kMaxReceives;
    events.workers = 1;
    events.visibility_timeout_s = 60;
    events.heartbeat = std::chrono::seconds(12);
    events.metrics = &metrics_;
    events.kind = "package_event";
    events.queue = "package_events";
    // An event failing its last receive goes to its dead-letter queue with the error (for `jobs`).
    if (auto dlq = sqs_.queue_url(settings_.stack.account, names.events_dead_letter)) {
      events.dead_letter_url = *dlq;
    }
    events_ = std::make_unique<queue::Consumer>(
        sqs_, *events_url,
        queue::MessageHandler([this](std::string_view body, const queue::JobContext& context) {
          return runner_.on_package_event(body, context);
        }),
        events);
    events_->start();
    core::log::info("live canvas refresh on", {{"queue", events_name}});
  } else {
    core::log::warn("live canvas refresh off: the package-events queue is missing (the deploy creates it)",
                    {{"queue", events_name}});
  }
  core::log::info("workers started", {{"workers", options_.workers},
                                      {"queue", queues_.name()},
                                      {"canvas_workers", canvas_ ? options_.canvas_workers : 0},
                                      {"canvas_queue", queues_.canvas_name()}});
}

std::size_t Workers::stop(std::chrono::milliseconds grace) {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  for (auto* consumer : {events_.get(), canvas_.get(), work_.get()}) {
    if (consumer) consumer->request_stop();
  }
  std::size_t unfinished = 0;
  if (events_) unfinished += events_->stop(std::chrono::seconds(5));
  if (canvas_) unfinished += canvas_->stop(std::chrono::seconds(5));
  if (work_) unfinished += work_->stop(grace);
  return unfinished;
}

}  // namespace bw::service
