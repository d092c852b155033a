#include "cli/jobs_decode.hpp"

#include <boost/json.hpp>

#include "benchling/envelope.hpp"
#include "canvas/package_event.hpp"
#include "core/json.hpp"
#include "queue/job.hpp"

namespace bw::cli {

deploy::JobSummary describe_dead_letter_body(std::string_view body) {
  deploy::JobSummary s;
  if (auto job = queue::decode_job(body)) {
    s.kind = queue::to_string(job->kind);
    s.received_at = job->received_at;
    s.canvas_id = job->canvas_id;
    if (auto envelope = benchling::parse_envelope(job->envelope)) {
      s.event_type = envelope->event_type;
      if (envelope->entry_id) s.entry_id = *envelope->entry_id;
      if (s.canvas_id.empty()) s.canvas_id = envelope->canvas_id;
    }
    // The group names what the service keyed the job on, when the envelope does not say it.
    const std::string_view group = job->group_id;
    if (s.entry_id.empty() && group.starts_with("entry:")) s.entry_id = std::string(group.substr(6));
    if (s.canvas_id.empty() && group.starts_with("canvas:")) s.canvas_id = std::string(group.substr(7));
    return s;
  }
  if (auto event = canvas::parse_package_event(body)) {
    s.kind = "package_event";
    s.package = event->handle;
    if (auto parsed = core::parse_json(body, "package event", body.size()); parsed && parsed->is_object()) {
      s.event_type = core::get_string(parsed->get_object(), "detail-type").value_or("");
    }
    return s;
  }
  s.kind = "unreadable";
  return s;
}

}  // namespace bw::cli
