// core/error.hpp
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/json/fwd.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <utility>
#include <vector>

namespace bw::core {

//! One value per kind of failure a user or an environment can cause.
enum class ErrorCode {
  kInvalidArgument,  //!< malformed input we were given (env var, flag, ARN): never heals
  kMissingSetting,   //!< a required setting is absent: never heals
  kInvalidSecret,    //!< the secret exists but its JSON fails the schema: heals when fixed in AWS
  kNotFound,         //!< an AWS resource does not exist (yet): heals when it is created
  kGone,           //!< a Benchling resource does not exist or the app cannot see it: never heals by retrying
  kAccessDenied,   //!< the caller is not allowed (IAM, Benchling permissions)
  kCredentials,    //!< no credentials, or AWS rejected them (bad key, bad signature, expired token)
  kInvalidConfig,  //!< the Quilt stack lacks what we need (outputs)
  kThrottled,      //!< the remote side asked us to slow down
  kRemote,         //!< the remote side failed (5xx, a timeout on its side) or answered something unusable
  kRejected,       //!< the remote side refused this request (4xx): sending it again is refused again
  kTooLarge,       //!< a payload, reply or object is larger than we accept: never heals
  kTransport,      //!< network failure: connect, TLS, timeout
  kUnavailable,    //!< we cannot serve yet (configuration not resolved): heals when it resolves
  kCancelled,      //!< a stop ended the work before it finished: it is redone after the restart
  kInternal,       //!< a bug on our side
};

//! True when the cause lives in AWS, Benchling or the network (or was a stop), so trying again later can
//! succeed. Follows from the code alone.
bool is_healable(ErrorCode code);

//! Stable snake_case name of a code, used in JSON bodies and logs.
const char* to_string(ErrorCode code);

//! An error a person can act on: what is wrong, what to do, and the facts (never a secret).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string suggestion;
  std::vector<std::pair<std::string, std::string>> details;
  //! True when running the same job again can never succeed (e.g. a display id Quilt refuses as a package
  //! name): its work-queue message goes to the dead-letter queue at once instead of being received 5 times.
  bool permanent = false;

  //! is_healable(code).
  bool healable() const { return is_healable(code); }

  Error& with(std::string key, std::string value) {
    details.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  //! "message\n\nsuggestion\n\nkey: value\n..." with empty parts skipped (runtime-spec §8.1).
  std::string to_text() const;
  //! {"error": code, "message", "suggestion", "details": {...}}.
  boost::json::object to_json() const;
};

Error make_error(ErrorCode code, std::string message, std::string suggestion = {});

//! Lets result<T, Error>::value() throw.
[[noreturn]] void throw_exception_from_error(const Error& e, const boost::source_location& loc);

//! Thrown only by Result::value() on an error; carries the Error.
class ErrorException : public std::exception {
 public:
  explicit ErrorException(Error e) : error_(std::move(e)), what_(error_.to_text()) {}
  const Error& error() const { return error_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  Error error_;
  std::string what_;
};

template <class T>
using Result = boost::system::result<T, Error>;

}  // namespace bw::core
