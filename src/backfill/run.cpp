#include "backfill/run.hpp"

#include <algorithm>
#include <chrono>
#include <future>

#include "backfill/job.hpp"
#include "backfill/rate_limiter.hpp"
#include "config/package_name_rule.hpp"
#include "core/retry.hpp"
#include "queue/job.hpp"
#include "queue/work_queue.hpp"

namespace bw::backfill {
namespace {

using core::ErrorCode;

enum class State : char { kPending, kQueued, kSkipped, kListed };

//! The listing refused with a project selector: the app is not a member of that project (Benchling
//! answers 404 for a project it hides from the app, 403 for one it shows but denies).
core::Error listing_error(const core::Error& e, const Selectors& s) {
  if (s.project.empty() || (e.code != ErrorCode::kAccessDenied && e.code != ErrorCode::kGone)) return e;
  core::Error out = core::make_error(
      ErrorCode::kAccessDenied, "The Benchling app cannot see project " + s.project,
      "add the app to project " + s.project +
          " in Benchling (in the project's settings, add the app as you would a member), check the id, then "
          "run the command again");
  out.with("project", s.project);
  for (const auto& d : e.details) {
    if (d.first == "status" || d.first == "benchling_message") out.details.push_back(d);
  }
  return out;
}

//! Resends of a batch's untaken entries: the project's full-jitter backoff, 0.4 s doubling up to 12.8 s.
core::RetryPolicy resend_policy(unsigned attempts) {
  core::RetryPolicy p;
  p.max_attempts = attempts;
  p.base = std::chrono::milliseconds(400);
  p.cap = std::chrono::milliseconds(12800);
  return p;
}

class Runner {
 public:
  Runner(const RunOptions& options, RunDeps& deps, const RunEvents& events, std::string fingerprint,
         std::size_t expected)
      : options_(options),
        deps_(deps),
        events_(events),
        fingerprint_(std::move(fingerprint)),
        limiter_(options.rate, deps.clock),
        resend_(resend_policy(options.batch_attempts), deps.stop,
                [&clock = deps.clock](std::chrono::milliseconds d, const core::StopToken& stop) {
                  return clock.sleep_for(d, stop);
                }),
        started_(deps.clock.now()) {
    progress_.expected = expected;
  }

  Outcome run(benchling::EntriesQuery query) {
    std::size_t offset = 0;
    if (options_.resume) {
      query.next_token = options_.resume->page_token;
      offset = options_.resume->offset;
      progress_.listed = options_.resume->listed;
      progress_.queued = options_.resume->queued;
      progress_.skipped = options_.resume->skipped;
    }
    // The next page is fetched while this one is queued: Benchling and SQS would otherwise wait on each
    // other. Its future is always waited for (get() or its destructor) before the run returns.
    std::future<core::Result<benchling::EntriesPage>> ahead;
    for (;;) {
      states_.clear();  // no page read yet for this token: a stop here resumes at `offset`
      if (deps_.stop.stop_requested()) return stopped(query.next_token, offset, std::nullopt);
      auto page = ahead.valid() ? ahead.get() : deps_.list(query);
      if (!page) return stopped(query.next_token, offset, listing_error(page.error(), options_.selectors));
      ++progress_.pages;
      if (!page->next_token.empty() && !options_.dry_run) {
        benchling::EntriesQuery next = query;
        next.next_token = page->next_token;
        ahead = std::async(std::launch::async, [this, next] { return deps_.list(next); });
      }
      if (auto r = run_page(query.next_token, page->entries, offset)) return std::move(*r);
      report();
      if (page->next_token.empty()) {
        Outcome done;
        done.complete = true;
        done.progress = snapshot();
        return done;
      }
      query.next_token = page->next_token;
      offset = 0;
    }
  }

 private:
  //! Queues the page from `offset`; an Outcome when the run ends inside it.
  std::optional<Outcome> run_page(const std::string& token,
                                  const std::vector<benchling::EntrySummary>& entries, std::size_t offset) {
    offset = std::min(offset, entries.size());
    states_.assign(entries.size(), State::kPending);
    std::fill(states_.begin(), states_.begin() + std::ptrdiff_t(offset), State::kQueued);
    base_ = {progress_.listed, progress_.queued, progress_.skipped, offset};
    std::size_t batch_bytes = 0;
    std::vector<aws::SqsBatchEntry> messages;
    for (std::size_t i = offset; i < entries.size(); ++i) {
      const auto& e = entries[i];
      ++progress_.listed;
      if (auto problem = config::package_name_part_problem(e.display_id)) {
        states_[i] = State::kSkipped;
        ++progress_.skipped;
        if (events_.skipped)
          events_.skipped(e, "its display ID " + *problem + ", so it cannot name a Quilt package");
        continue;
      }
      if (events_.listed) events_.listed(e);
      if (options_.dry_run) {
        states_[i] = State::kListed;
        continue;
      }
      const queue::Job job = make_job(e, deps_.now());
      auto body = queue::encode_job(job);
      if (!body) return stopped(token, first_pending(), body.error());
      if (messages.size() == aws::kSqsMaxBatchEntries ||
          batch_bytes + body->size() > aws::kSqsMaxMessageBytes) {
        if (!send(messages)) return stopped(token, first_pending(), failure_);
        messages.clear();
        batch_bytes = 0;
      }
      batch_bytes += body->size();
      messages.push_back(
          {"m" + std::to_string(i), std::move(*body), job.group_id, queue::deduplication_id(job)});
    }
    if (!messages.empty() && !send(messages)) return stopped(token, first_pending(), failure_);
    return std::nullopt;
  }

  //! Paces, sends and resends what SQS did not take; false when the run must stop (failure_ says why,
  //! nullopt for a requested stop). Entries confirmed in the queue are marked kQueued (the batch entry id
  //! "m<index>" names the entry's place in the page).
  bool send(std::vector<aws::SqsBatchEntry> messages) {
    failure_.reset();
    if (!limiter_.acquire(messages.size(), deps_.stop)) return false;
    auto sent = resend_.run<void>("SQS message batch", {}, [&](unsigned n, bool last) -> core::Attempt<void> {
      auto result = deps_.send(messages);
      if (!result) return core::Result<void>(result.error());
      std::vector<aws::SqsBatchEntry> again;
      for (auto& m : messages) {
        if (result->sent.count(m.id) == 0) {
          again.push_back(std::move(m));
          continue;
        }
        states_[std::stoul(m.id.substr(1))] = State::kQueued;
        ++progress_.queued;
        ++progress_.queued_this_run;
      }
      report();
      messages = std::move(again);
      if (messages.empty()) return core::Result<void>();
      const aws::SqsBatchFailure* refused = nullptr;
      for (const auto& f : result->failed) {
        if (f.sender_fault) refused = &f;
      }
      const std::string what = "SQS did not take " + std::to_string(messages.size()) + " job(s) of a batch";
      // Throttling or an internal error on SQS's side: sent again after the backoff.
      if (refused == nullptr && !last) return core::TryAgain{what};
      const aws::SqsBatchFailure unreported{"", "NotReported", "SQS did not report these messages", false};
      const aws::SqsBatchFailure& f =
          refused != nullptr ? *refused : (result->failed.empty() ? unreported : result->failed.front());
      return core::Result<void>(
          core::make_error(ErrorCode::kRemote,
                           what + (refused != nullptr ? "" : " after " + std::to_string(n + 1) + " tries"),
                           "nothing was lost: run the resume command below to queue them")
              .with("SQS code", f.code)
              .with("SQS said", f.message));
    });
    if (sent) return true;
    failure_ = sent.error();
    return false;
  }

  std::size_t first_pending() const {
    auto it = std::find_if(states_.begin(), states_.end(), [](State s) { return s == State::kPending; });
    return std::size_t(it - states_.begin());
  }

  Outcome stopped(const std::string& token, std::size_t at, std::optional<core::Error> error) {
    Outcome out;
    // A wait or call the stop cut short is the stop itself, not a failure.
    if (error && error->code == ErrorCode::kCancelled && deps_.stop.stop_requested()) error.reset();
    out.error = std::move(error);
    if (!options_.dry_run) {
      ResumePoint p;
      p.page_token = token;
      p.offset = at;
      p.fingerprint = fingerprint_;
      if (at <= base_.offset || states_.empty()) {
        // Nothing of this page is done (or the page was never read): the counts from its start.
        p.listed = states_.empty() ? progress_.listed : base_.listed;
        p.queued = states_.empty() ? progress_.queued : base_.queued;
        p.skipped = states_.empty() ? progress_.skipped : base_.skipped;
      } else {
        p.listed = base_.listed + (at - base_.offset);
        p.queued =
            base_.queued + std::uint64_t(std::count(states_.begin() + std::ptrdiff_t(base_.offset),
                                                    states_.begin() + std::ptrdiff_t(at), State::kQueued));
        p.skipped =
            base_.skipped + std::uint64_t(std::count(states_.begin() + std::ptrdiff_t(base_.offset),
                                                     states_.begin() + std::ptrdiff_t(at), State::kSkipped));
      }
      // What this run did past the point is done again by the next one: count it there, once.
      const std::uint64_t beyond = progress_.queued - p.queued;
      progress_.queued_this_run -= std::min(beyond, progress_.queued_this_run);
      progress_.listed = p.listed;
      progress_.queued = p.queued;
      progress_.skipped = p.skipped;
      out.resume = p;
    }
    out.progress = snapshot();
    return out;
  }

  Progress snapshot() {
    progress_.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(deps_.clock.now() - started_);
    return progress_;
  }

  void report() {
    if (events_.progress) events_.progress(snapshot());
  }

  struct Base {
    std::uint64_t listed = 0, queued = 0, skipped = 0;
    std::size_t offset = 0;
  };

  const RunOptions& options_;
  RunDeps& deps_;
  const RunEvents& events_;
  std::string fingerprint_;
  RateLimiter limiter_;
  core::Retry resend_;  //!< the sends of a batch's entries SQS did not take
  core::SteadyClock::time_point started_;
  Progress progress_;
  std::vector<State> states_;
  Base base_;
  std::optional<core::Error> failure_;
};

}  // namespace

core::Result<Outcome> run_backfill(const RunOptions& options, RunDeps& deps, const RunEvents& events) {
  auto query = to_query(options.selectors);
  if (!query) return query.error();
  const std::string fp = fingerprint(*query);
  if (options.resume && options.resume->fingerprint != fp) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "--resume belongs to a backfill with other selectors",
                            "run the resume command exactly as the interrupted backfill printed it (same "
                            "--project, --schema, dates, ids and --include-archived)")
        .with("token's selection", options.resume->fingerprint)
        .with("this selection", fp);
  }
  Runner runner(options, deps, events, fp, named_count(options.selectors));
  return runner.run(std::move(*query));
}

}  // namespace bw::backfill
