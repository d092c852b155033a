// backfill/run.hpp: one backfill run: list the selected entries page by page and queue one packaging job
// per entry in batches, paced, resumable. Benchling and SQS come in as functions (the CLI binds them to
// benchling::Client::list_entries and aws::Sqs::send_message_batch), so the loop is tested with plain ones.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aws/sqs.hpp"
#include "backfill/progress.hpp"
#include "backfill/resume_token.hpp"
#include "backfill/selectors.hpp"
#include "benchling/entries_page.hpp"
#include "core/error.hpp"
#include "core/stop.hpp"
#include "core/time.hpp"

namespace bw::backfill {

struct RunOptions {
  Selectors selectors;
  bool dry_run = false;               //!< list and count, queue nothing
  std::optional<ResumePoint> resume;  //!< from --resume
  double rate = 0;                    //!< jobs per second; <= 0: as fast as SQS takes them
  //! Sends of one batch's failed entries (SendMessageBatch's Failed list) before the run stops.
  unsigned batch_attempts = 5;
};

struct RunDeps {
  //! Called from a second thread too (the next page is fetched while one is queued), never twice at once.
  std::function<core::Result<benchling::EntriesPage>(const benchling::EntriesQuery&)> list;
  std::function<core::Result<aws::SqsBatchResult>(const std::vector<aws::SqsBatchEntry>&)> send;
  const core::SteadyClock& clock;  //!< pacing and the waits between resends
  core::NowFn now;                 //!< the jobs' queuedAt
  core::StopToken stop;            //!< SIGINT/SIGTERM: the run ends at the next batch, resumable
};

//! What the caller shows while the run goes.
struct RunEvents {
  std::function<void(const Progress&)> progress;               //!< after each page and each batch
  std::function<void(const benchling::EntrySummary&)> listed;  //!< each entry that is (or would be) queued
  std::function<void(const benchling::EntrySummary&, const std::string&)> skipped;  //!< and why
};

struct Outcome {
  Progress progress;
  bool complete = false;
  //! Where the next run starts (set whenever !complete and not a dry run): every entry before it is queued
  //! or skipped, nothing after it is counted.
  std::optional<ResumePoint> resume;
  //! Why the run stopped early; nullopt when a stop was requested (or it completed).
  std::optional<core::Error> error;
};

//! Runs the backfill. Errors before anything is listed (kInvalidArgument): bad selectors or dates, a resume
//! token of another selection. Later failures end the run with Outcome::error and a resume point:
//! - the listing refused (403/404) with --project: kAccessDenied "The Benchling app cannot see project
//!   <id>", suggesting to add the app to the project;
//! - anything else Benchling or SQS says after their own retries, or an entry SQS still refuses after
//!   batch_attempts sends.
core::Result<Outcome> run_backfill(const RunOptions& options, RunDeps& deps, const RunEvents& events = {});

}  // namespace bw::backfill
