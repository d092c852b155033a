// aws/unreadable_reply.cpp
#include "aws/unreadable_reply.hpp"

#include <string>

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

}  // namespace bw::aws
