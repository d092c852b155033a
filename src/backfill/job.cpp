#include "backfill/job.hpp"

#include <boost/json.hpp>

#include "queue/group_id.hpp"
#include "queue/work_queue.hpp"

namespace bw::backfill {
std::string deduplication_id(std::string_view entry_id, std::string_view modified_at) {
  // The work queue's rule for a webhook id: itself when SQS takes it, else its SHA-256.
  queue::Job probe;
  probe.webhook_id = "backfill-";
  probe.webhook_id.append(entry_id).append("-").append(modified_at);
  return queue::deduplication_id(probe);
}

namespace {
//! The envelope for an entry whose deduplication id and queue time are already known.
std::string envelope_of(const benchling::EntrySummary& entry, const std::string& id, const std::string& at) {
  boost::json::object marker{
      {"queuedAt", at}, {"entryModifiedAt", entry.modified_at}, {"displayId", entry.display_id}};
  boost::json::object message{{"type", kEventType},
                              {"id", id},
                              {"resourceId", entry.id},
                              {"createdAt", at},
                              {"backfill", std::move(marker)}};
  boost::json::object root{{"version", "0"}, {"channel", "backfill"}, {"message", std::move(message)}};
  return boost::json::serialize(root);
}
}  // namespace

std::string synthetic_envelope(const benchling::EntrySummary& entry, core::SystemTime queued_at) {
  return envelope_of(entry, deduplication_id(entry.id, entry.modified_at), core::format_iso8601(queued_at));
}

queue::Job make_job(const benchling::EntrySummary& entry, core::SystemTime queued_at) {
  queue::Job job;
  job.kind = queue::JobKind::kPackage;
  job.route = "event";
  job.webhook_id = deduplication_id(entry.id, entry.modified_at);
  job.received_at = core::format_iso8601(queued_at);
  job.group_id = queue::group_id("entry:", entry.id);
  job.envelope = envelope_of(entry, job.webhook_id, job.received_at);
  return job;
}

}  // namespace bw::backfill
