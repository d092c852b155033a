// service/intake.hpp: what a verified webhook becomes (an answer, and maybe a job), pure.
#pragma once

#include <optional>
#include <string>

#include "benchling/envelope.hpp"
#include "queue/group_id.hpp"
#include "queue/job.hpp"

namespace bw::service {

enum class WebhookRoute { kEvent, kLifecycle, kCanvas };

const char* to_string(WebhookRoute route);

//! The durable work a webhook asks for.
struct JobPlan {
  queue::JobKind kind;
  //! FIFO group: "entry:<id>" for packaging (two events for one entry never race), "canvas:<id>" for
  //! canvas views (a long export never holds up a click).
  std::string group_id;
};

//! The answer to send once the job (if any) is safely in the work queue.
struct IntakeDecision {
  int status = 200;
  std::string body;  //!< JSON, serialized
  std::optional<JobPlan> job;
};

//! Routes an envelope per runtime-spec §2.6-2.8 and §10.3. No side effects: lifecycle events and
//! unsupported types are answered without a job.
IntakeDecision decide(WebhookRoute route, const benchling::Envelope& envelope);

//! queue::group_id: "entry:<id>" / "canvas:<id>" (shared with the backfill).
using queue::group_id;

}  // namespace bw::service
