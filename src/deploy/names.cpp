// deploy/names.cpp
#include "deploy/names.hpp"

#include "config/settings_hash.hpp"

namespace bw::deploy {

namespace {
constexpr std::string_view kPrefix = "benchling-webhook-";

std::string prefixed(std::string_view stack_arn, std::string_view secret, std::string_view suffix) {
  return std::string(kPrefix).append(settings_hash(stack_arn, secret)).append(suffix);
}
}  // namespace

std::string settings_hash(std::string_view stack_arn, std::string_view secret) {
  return config::settings_hash(stack_arn, secret);
}

std::string work_queue_name(std::string_view stack_arn, std::string_view secret) {
  return prefixed(stack_arn, secret, ".fifo");
}

std::string dead_letter_queue_name(std::string_view stack_arn, std::string_view secret) {
  return prefixed(stack_arn, secret, "-dlq.fifo");
}

std::string canvas_queue_name(std::string_view stack_arn, std::string_view secret) {
  return prefixed(stack_arn, secret, "-canvas.fifo");
}

std::string events_queue_name(std::string_view stack_arn, std::string_view secret) {
  return prefixed(stack_arn, secret, "-events");
}

std::string events_dead_letter_queue_name(std::string_view stack_arn, std::string_view secret) {
  return prefixed(stack_arn, secret, "-events-dlq");
}

}  // namespace bw::deploy
