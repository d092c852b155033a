// core/log_context.hpp
#pragma once

#include <string>
#include <string_view>

namespace bw::core::log {

//! The request id of the delivery this thread is working on; empty when none. log::write adds it to every
//! line as "request_id", so one grep follows a webhook from intake through the worker that runs its job.
std::string_view request_id();

//! Replaces this thread's request id; the innermost RequestScope restores the previous one when it ends.
//! For code that learns the id partway through a scope (a worker, once it has decoded the job).
void set_request_id(std::string id);

//! Sets this thread's request id for the scope's lifetime, then restores the previous one.
class RequestScope {
 public:
  explicit RequestScope(std::string id = {});
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  std::string previous_;
};

//! True for an id safe to log and grep as is: 1-128 characters of [A-Za-z0-9_.:-] (Benchling's webhook
//! ids look like "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W").
bool is_well_formed_request_id(std::string_view id);

//! The request id of a delivery: its webhook-id when well-formed, else "req_" and 24 hex digits of the
//! SHA-256 of the webhook-id (or of the body when there is none). Derived, not random, so intake and the
//! worker compute the same id from what the job already carries, and a redelivery keeps its id.
std::string request_id_for(std::string_view webhook_id, std::string_view body);

}  // namespace bw::core::log
