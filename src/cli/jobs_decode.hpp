// cli/jobs_decode.hpp: what a dead-lettered message body is, for `benchling-webhook jobs` (deploy lists the
// queues; reading a job needs queue and benchling, which deploy may not use). Pure.
#pragma once

#include <string_view>

#include "deploy/dead_letter_record.hpp"

namespace bw::cli {

//! A work-queue job (queue::decode_job): its kind, entry and canvas ids, the envelope's event type and
//! when the service accepted it; else a Quilt package-revision event (its package and detail-type); else
//! kind "unreadable".
deploy::JobSummary describe_dead_letter_body(std::string_view body);

}  // namespace bw::cli
