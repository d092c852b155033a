// aws/unreadable_reply.cpp
#include "aws/unreadable_reply.hpp"

#include "aws/endpoints.hpp"

namespace bw::aws {

core::Error unreadable_reply(std::string_view service, std::string_view service_id, std::string_view action,
                             std::string_view why) {
  std::string message(service);
  message.append(" ").append(action).append(" reply is unreadable: ").append(why);
  std::string suggestion = "Retry later; if it persists, check AWS_ENDPOINT_URL / ";
  suggestion.append(endpoint_env_name(service_id));
  return core::make_error(core::ErrorCode::kRemote, std::move(message), std::move(suggestion));
}

core::Error unreadable_reply(const ReplyOf& of, std::string_view why) {
  return unreadable_reply(of.service, of.service_id, of.action, why);
}

std::string larger_than(std::size_t max_bytes) {
  constexpr std::size_t kKiB = 1024;
  constexpr std::size_t kMiB = 1024 * kKiB;
  std::string out = "larger than ";
  if (max_bytes >= kMiB && max_bytes % kMiB == 0)
    return out.append(std::to_string(max_bytes / kMiB)).append(" MiB");
  if (max_bytes >= kKiB && max_bytes % kKiB == 0)
    return out.append(std::to_string(max_bytes / kKiB)).append(" KiB");
  return out.append(std::to_string(max_bytes)).append(" bytes");
}

}  // namespace bw::aws
