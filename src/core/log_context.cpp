#include "core/log_context.hpp"

#include <algorithm>
#include <utility>

#include "core/crypto.hpp"

namespace bw::core::log {
namespace {
thread_local std::string t_request_id;
constexpr std::size_t kMaxRequestIdBytes = 128;
}  // namespace

std::string_view request_id() {
  return t_request_id;
}

void set_request_id(std::string id) {
  t_request_id = std::move(id);
}

RequestScope::RequestScope(std::string id) : previous_(std::exchange(t_request_id, std::move(id))) {}

RequestScope::~RequestScope() {
  t_request_id = std::move(previous_);
}

bool is_well_formed_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '-';
  });
}

std::string request_id_for(std::string_view webhook_id, std::string_view body) {
  if (is_well_formed_request_id(webhook_id)) return std::string(webhook_id);
  return "req_" + sha256_hex(webhook_id.empty() ? body : webhook_id).substr(0, 24);
}

}  // namespace bw::core::log
