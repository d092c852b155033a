// backfill/job.hpp: the packaging job a backfill queues for one entry: the same queue::Job a webhook
// becomes (route "event", group "entry:<id>"), around a synthetic envelope marked as a backfill, pure.
#pragma once

#include <string>
#include <string_view>

#include "benchling/entries_page.hpp"
#include "core/time.hpp"
#include "queue/job.hpp"

namespace bw::backfill {

//! message.type of the synthetic envelope. The packaging writes "Benchling <type> at <time>" as the
//! commit message, so a backfilled revision reads "Benchling backfill at ...".
inline constexpr std::string_view kEventType = "backfill";

//! The MessageDeduplicationId of the job for `entry_id` as last modified at `modified_at`:
//! "backfill-<entry id>-<modifiedAt>" when SQS accepts it (at most 128 characters, alphanumerics and
//! punctuation), else its hex SHA-256 (queue::deduplication_id's rule for a webhook id). Within SQS's
//! 5-minute window a rerun queues an unchanged entry once; a changed entry (new modifiedAt) is queued again.
std::string deduplication_id(std::string_view entry_id, std::string_view modified_at);

//! The webhook body the job carries, compact JSON:
//! {"version":"0","channel":"backfill","message":{"type":"backfill","id":<dedup id>,"resourceId":<entry id>,
//!  "createdAt":<queued_at>,"backfill":{"queuedAt","entryModifiedAt","displayId"}}}
//! The worker reads the entry id from resourceId like any entry event's; `message` (with its `backfill`
//! marker) goes into entry.json as webhook_data, createdAt becomes export_timestamp.
std::string synthetic_envelope(const benchling::EntrySummary& entry, core::SystemTime queued_at);

//! The work-queue job: kind package, route "event", webhook_id = deduplication_id() (so the queue's
//! MessageDeduplicationId and the worker's request id are it), group_id "entry:<id>" (queue::group_id).
queue::Job make_job(const benchling::EntrySummary& entry, core::SystemTime queued_at);

}  // namespace bw::backfill
