#include "queue/work_queue.hpp"

#include "core/crypto.hpp"
#include "core/log.hpp"

namespace bw::queue {

namespace {

constexpr std::size_t kMaxDedupIdBytes = 128;

//! "Work queue" / "Canvas queue", for messages and details.
std::string label(const std::string& name, const std::string& work_queue) {
  return name == work_queue ? "Work queue" : "Canvas queue";
}

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

WorkQueue::WorkQueue(aws::Sqs& sqs, std::string account, WorkQueueNames names)
    : sqs_(sqs), account_(std::move(account)), names_(std::move(names)) {}

core::Result<std::string> WorkQueue::url_of(const std::string& name) const {
  auto url = sqs_.queue_url(account_, name);
  if (!url) {
    core::Error e = url.error();
    // Not the caller's input: the queue is derived from the settings (or the endpoint variable is wrong).
    if (e.code == core::ErrorCode::kInvalidArgument) e.code = core::ErrorCode::kInvalidConfig;
    return e.with(label(name, names_.work), name);
  }
  return url;
}

core::Error WorkQueue::not_found(const std::string& name, const core::Error& cause) const {
  // The deploy creates the queues with their dead-letter queue, redrive policy and the package-events
  // queue: hand-made queues were the usual way to get one of those wrong. A stack deployed by a version
  // without the canvas queue gets it from the same command.
  core::Error e = core::make_error(
      core::ErrorCode::kNotFound, label(name, names_.work) + " not found: " + name,
      "Deploy the service: `benchling-webhook deploy --image-uri <image>` "
      "with these two settings creates "
      "the work and canvas queues, their dead-letter queue and the package-events "
      "queue in account " +
          account_ + ", region " + sqs_.client().region() + " (`benchling-webhook template` shows them)");
  e.with(label(name, names_.work), name).with("Dead-letter queue", names_.dead_letter);
  for (const auto& d : cause.details) {
    if (d.first == "queue URL" || d.first == "Region" || d.first == "AWS said") e.details.push_back(d);
  }
  return e;
}

core::Result<std::string> WorkQueue::enqueue(const Job& job) {
  auto body = encode_job(job);
  if (!body) return body.error();
  const std::string& name = name_for(job.kind);
  auto url = url_of(name);
  if (!url) return url.error();
  auto id = sqs_.send_message(*url, *body, job.group_id, deduplication_id(job));
  if (!id) {
    if (id.error().code == core::ErrorCode::kNotFound) return not_found(name, id.error());
    core::Error e = id.error();
    if (e.code == core::ErrorCode::kInvalidArgument) e.code = core::ErrorCode::kInternal;  // encode bounds it
    return e.with(label(name, names_.work), name);
  }
  return id;
}

core::Result<void> WorkQueue::check_one(const std::string& name) const {
  auto url = url_of(name);
  if (!url) return url.error();
  auto attrs = sqs_.get_queue_attributes(*url, {"FifoQueue", "RedrivePolicy"});
  if (!attrs) {
    if (attrs.error().code == core::ErrorCode::kNotFound) return not_found(name, attrs.error());
    core::Error e = attrs.error();
    return e.with(label(name, names_.work), name);
  }
  auto fifo = attrs->find("FifoQueue");
  if (fifo == attrs->end() || fifo->second != "true") {
    return core::make_error(core::ErrorCode::kInvalidConfig,
                            label(name, names_.work) + " " + name + " is not a FIFO queue",
                            "It was not made by `benchling-webhook deploy`: delete it (after moving any jobs "
                            "it holds), then "
                            "deploy, which creates it as a FIFO queue with its dead-letter queue")
        .with(label(name, names_.work), name)
        .with("queue URL", *url);
  }
  if (attrs->find("RedrivePolicy") == attrs->end()) {
    core::log::warn(
        "queue has no redrive policy: a failing job is retried forever instead of moving "
        "to the dead-letter queue",
        {{"queue", name}, {"dead_letter_queue", names_.dead_letter}});
  }
  return {};
}

core::Result<void> WorkQueue::check() {
  if (auto work = check_one(names_.work); !work) return work;
  return check_one(names_.canvas);
}

}  // namespace bw::queue
