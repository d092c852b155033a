#include "queue/work_queue.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "queue/queue_name.hpp"

namespace bw::queue {

namespace {

constexpr std::size_t kMaxDedupIdBytes = 128;

bool sqs_accepts_as_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxDedupIdBytes) return false;
  for (unsigned char c : id) {
    if (c <= 0x20 || c >= 0x7f) return false;  // alphanumerics and punctuation only
  }
  return true;
}

}  // namespace

std::string deduplication_id(const Job& job) {
  if (sqs_accepts_as_id(job.webhook_id)) return job.webhook_id;
  if (!job.webhook_id.empty()) return core::sha256_hex(job.webhook_id);
  return core::sha256_hex(job.envelope);
}

WorkQueue::WorkQueue(aws::Sqs& sqs, std::string account, std::string name)
    : sqs_(sqs), account_(std::move(account)), name_(std::move(name)) {}

core::Result<std::string> WorkQueue::url() const {
  auto url = sqs_.queue_url(account_, name_);
  if (!url) {
    core::Error e = url.error();
    // Not the caller's input: the queue is derived from the settings (or the endpoint variable is wrong).
    if (e.code == core::ErrorCode::kInvalidArgument) e.code = core::ErrorCode::kInvalidConfig;
    return e.with("Work queue", name_);
  }
  return url;
}

core::Error WorkQueue::not_found(const core::Error& cause) const {
  // The deploy creates the queue with its dead-letter queue, redrive policy and the package-events queue:
  // hand-made queues were the usual way to get one of those wrong.
  core::Error e = core::make_error(core::ErrorCode::kNotFound, "Work queue not found: " + name_,
                                   "Deploy the service first: `benchling-webhook deploy --image-uri <image>` "
                                   "with these two settings creates "
                                   "it, its dead-letter queue and the package-events queue in account " +
                                       account_ + ", region " + sqs_.client().region() +
                                       " (`benchling-webhook template` shows them)");
  e.with("Work queue", name_).with("Dead-letter queue", dead_letter_queue_name_for(name_));
  for (const auto& d : cause.details) {
    if (d.first == "queue URL" || d.first == "Region" || d.first == "AWS said") e.details.push_back(d);
  }
  return e;
}

core::Result<std::string> WorkQueue::enqueue(const Job& job) {
  auto body = encode_job(job);
  if (!body) return body.error();
  auto url = this->url();
  if (!url) return url.error();
  auto id = sqs_.send_message(*url, *body, job.group_id, deduplication_id(job));
  if (!id) {
    if (id.error().code == core::ErrorCode::kNotFound) return not_found(id.error());
    core::Error e = id.error();
    if (e.code == core::ErrorCode::kInvalidArgument) e.code = core::ErrorCode::kInternal;  // encode bounds it
    return e.with("Work queue", name_);
  }
  return id;
}

core::Result<void> WorkQueue::check() {
  auto url = this->url();
  if (!url) return url.error();
  auto attrs = sqs_.get_queue_attributes(*url, {"FifoQueue", "RedrivePolicy"});
  if (!attrs) {
    if (attrs.error().code == core::ErrorCode::kNotFound) return not_found(attrs.error());
    core::Error e = attrs.error();
    return e.with("Work queue", name_);
  }
  auto fifo = attrs->find("FifoQueue");
  if (fifo == attrs->end() || fifo->second != "true") {
    return core::make_error(core::ErrorCode::kInvalidConfig, "Work queue " + name_ + " is not a FIFO queue",
                            "It was not made by `benchling-webhook deploy`: delete it (after moving any jobs "
                            "it holds), then "
                            "deploy, which creates it as a FIFO queue with its dead-letter queue")
        .with("Work queue", name_)
        .with("queue URL", *url);
  }
  if (attrs->find("RedrivePolicy") == attrs->end()) {
    core::log::warn(
        "work queue has no redrive policy: a failing job is retried forever instead of moving "
        "to the dead-letter queue",
        {{"queue", name_}, {"dead_letter_queue", dead_letter_queue_name_for(name_)}});
  }
  return {};
}

}  // namespace bw::queue
