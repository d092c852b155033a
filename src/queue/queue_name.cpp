#include "queue/queue_name.hpp"

#include "core/crypto.hpp"

namespace bw::queue {

namespace {
constexpr std::string_view kPrefix = "benchling-webhook-";
constexpr std::string_view kFifo = ".fifo";
}  // namespace

std::string settings_hash(std::string_view stack_arn, std::string_view secret) {
  std::string joined;
  joined.reserve(stack_arn.size() + 1 + secret.size());
  joined.append(stack_arn).append("|").append(secret);
  return core::sha256_hex(joined).substr(0, 16);
}

std::string work_queue_name(std::string_view stack_arn, std::string_view secret) {
  return std::string(kPrefix).append(settings_hash(stack_arn, secret)).append(kFifo);
}

std::string dead_letter_queue_name(std::string_view stack_arn, std::string_view secret) {
  return std::string(kPrefix).append(settings_hash(stack_arn, secret)).append("-dlq").append(kFifo);
}

std::string canvas_queue_name(std::string_view stack_arn, std::string_view secret) {
  return std::string(kPrefix).append(settings_hash(stack_arn, secret)).append("-canvas").append(kFifo);
}

std::string events_queue_name(std::string_view stack_arn, std::string_view secret) {
  return std::string(kPrefix).append(settings_hash(stack_arn, secret)).append("-events");
}

namespace {
//! "<base>.fifo" -> "<base><suffix>.fifo"; a name without ".fifo" just gets the suffix.
std::string sibling_name(std::string_view work_queue_name, std::string_view suffix) {
  if (work_queue_name.ends_with(kFifo)) {
    work_queue_name.remove_suffix(kFifo.size());
    return std::string(work_queue_name).append(suffix).append(kFifo);
  }
  return std::string(work_queue_name).append(suffix);
}
}  // namespace

std::string dead_letter_queue_name_for(std::string_view work_queue_name) {
  return sibling_name(work_queue_name, "-dlq");
}

std::string canvas_queue_name_for(std::string_view work_queue_name) {
  return sibling_name(work_queue_name, "-canvas");
}

}  // namespace bw::queue
