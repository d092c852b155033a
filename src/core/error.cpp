#include "core/error.hpp"

#include <boost/json.hpp>

namespace bw::core {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kMissingSetting:
      return "missing_setting";
    case ErrorCode::kInvalidSecret:
      return "invalid_secret";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kAccessDenied:
      return "access_denied";
    case ErrorCode::kCredentials:
      return "credentials";
    case ErrorCode::kInvalidConfig:
      return "invalid_config";
    case ErrorCode::kThrottled:
      return "throttled";
    case ErrorCode::kRemote:
      return "remote";
    case ErrorCode::kTransport:
      return "transport";
    case ErrorCode::kGone:
      return "gone";
    case ErrorCode::kRejected:
      return "rejected";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

bool is_healable(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kMissingSetting:
    case ErrorCode::kGone:
    case ErrorCode::kRejected:
    case ErrorCode::kTooLarge:
    case ErrorCode::kInternal:
      return false;
    case ErrorCode::kInvalidSecret:
    case ErrorCode::kNotFound:
    case ErrorCode::kAccessDenied:
    case ErrorCode::kCredentials:
    case ErrorCode::kInvalidConfig:
    case ErrorCode::kThrottled:
    case ErrorCode::kRemote:
    case ErrorCode::kTransport:
    case ErrorCode::kUnavailable:
    case ErrorCode::kCancelled:
      return true;
  }
  return false;
}

std::string Error::to_text() const {
  std::string out = message;
  auto add = [&out](const std::string& part) {
    if (part.empty()) return;
    if (!out.empty()) out += "\n\n";
    out += part;
  };
  add(suggestion);
  std::string det;
  for (const auto& [key, value] : details) {
    if (!det.empty()) det += "\n";
    det += key.empty() ? value : key + ": " + value;
  }
  add(det);
  return out;
}

boost::json::object Error::to_json() const {
  boost::json::object det;
  for (const auto& [key, value] : details) det[key] = value;
  return {{"error", to_string(code)}, {"message", message}, {"suggestion", suggestion}, {"details", det}};
}

Error make_error(ErrorCode code, std::string message, std::string suggestion) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.suggestion = std::move(suggestion);
  return e;
}

void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

}  // namespace bw::core
