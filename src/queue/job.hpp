// queue/job.hpp: the work-queue message: one accepted webhook, its route and FIFO group, and the raw body.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::queue {

enum class JobKind {
  kPackage,  //!< export the entry and ask Quilt to package it
  kCanvas,   //!< render a canvas view (browse, page, metadata, back, initialize)
};

//! "package" / "canvas".
const char* to_string(JobKind kind);
//! The kind named `text`; nullopt for anything else.
std::optional<JobKind> parse_job_kind(std::string_view text);

struct Job {
  JobKind kind = JobKind::kPackage;
  std::string route;        //!< which webhook route accepted it: "event", "lifecycle", "canvas"
  std::string webhook_id;   //!< the webhook-id header (may be empty when verification is off)
  std::string received_at;  //!< ISO 8601 UTC, "2024-03-05T06:07:08Z"
  std::string group_id;     //!< SQS MessageGroupId: "entry:<id>" or "canvas:<id>"
  std::string envelope;     //!< the verified raw request body, byte for byte
  //! The canvas the service created for this entry (a packaging job queued by canvas.initialized, whose
  //! envelope has no canvas id); "" when the envelope names the canvas or there is none.
  std::string canvas_id;

  bool operator==(const Job&) const = default;
};

//! Version written into every job; decode rejects any other.
inline constexpr int kJobVersion = 1;
//! The largest SQS message body (256 KiB), so the largest encoded job.
inline constexpr std::size_t kMaxJobBytes = 256 * 1024;

//! {"v":1,"kind":...,"route":...,"webhook_id":...,"received_at":...,"group_id":...[,"canvas_id":...],
//! "envelope":"<raw body>"} in that order (canvas_id only when set, so older readers see the same job). The
//! envelope travels as a JSON string, so any valid UTF-8 (whitespace, quotes, backslashes, non-ASCII) comes
//! back byte for byte; U+FFFE/U+FFFF and control characters are escaped, so the message only holds characters
//! SQS accepts. Errors:
//! - kTooLarge: the encoded job is larger than kMaxJobBytes ("Webhook payload too large for the work
//!   queue"; the webhook is answered 413);
//! - kInvalidArgument: a field decode_job would reject (invalid UTF-8, a group id SQS refuses, a bad
//!   timestamp, ...).
core::Result<std::string> encode_job(const Job& job);

//! Parses and validates a message body written by encode_job. Bounded (at most kMaxJobBytes); every field
//! is checked; unknown members are ignored so that a later v1 writer can add optional ones. Errors are
//! kInvalidArgument naming the field ("Unsupported job version 2", "Unknown job kind \"x\"") and never
//! quote the envelope.
core::Result<Job> decode_job(std::string_view text);

//! Checks every field of `job` (what decode_job enforces after parsing). Pure.
core::Result<void> validate_job(const Job& job);

}  // namespace bw::queue
