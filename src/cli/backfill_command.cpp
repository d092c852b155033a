#include "cli/backfill_command.hpp"

#include <pthread.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "aws/env.hpp"
#include "backfill/progress.hpp"
#include "backfill/run.hpp"
#include "benchling/client.hpp"
#include "benchling/oauth.hpp"
#include "cli/print_error.hpp"
#include "config/queue_names.hpp"
#include "config/resolver.hpp"
#include "core/log.hpp"
#include "deploy/deployed_settings.hpp"
#include "queue/work_queue.hpp"
#include "service/app.hpp"

namespace bw::cli {
namespace {

constexpr std::size_t kPreviewLines = 10;
constexpr std::size_t kSkipLines = 20;

constexpr const char* kHelp =
    "Package notebook entries that existed before the app was installed: list them at Benchling "
    "(GET /api/v2/entries) and queue one packaging job per entry into the work queue, where the service's "
    "workers package them exactly as after a webhook (commit message \"Benchling backfill at <time>\", a "
    "\"backfill\" marker in entry.json). Selectors combine (an entry must match all); without any, every "
    "entry the app can see is packaged. Rerunning within 5 minutes queues nothing twice; later, an entry is "
    "queued again. Interrupted (Ctrl-C, SIGTERM, an error), it prints the command that resumes where it "
    "stopped.";

int usage(const core::Error& e) {
  return report(e, 2);
}

int fail(const core::Error& e) {
  return report(e, 1);
}

std::string resume_command(const BackfillCommandOptions& o, const std::string& token) {
  std::vector<std::string> args{"benchling-webhook", "backfill"};
  if (o.settings.quilt_stack_arn) args.insert(args.end(), {"--quilt-stack-arn", *o.settings.quilt_stack_arn});
  if (o.settings.benchling_secret)
    args.insert(args.end(), {"--benchling-secret", *o.settings.benchling_secret});
  for (auto& a : backfill::selector_args(o.selectors)) args.push_back(std::move(a));
  if (o.rate > 0) {
    std::string rate = std::to_string(o.rate);
    rate.erase(rate.find_last_not_of('0') + 1);
    if (rate.back() == '.') rate.pop_back();
    args.insert(args.end(), {"--rate", rate});
  }
  args.insert(args.end(), {"--resume", token});
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ' ';
    out += deploy::shell_quote(a);
  }
  return out;
}

//! SIGINT/SIGTERM end the run at the next batch (it prints how to resume); a second one exits at once.
class StopOnSignal {
 public:
  StopOnSignal() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    waiter_ = std::thread([this] {
      for (;;) {
        int sig = 0;
        if (sigwait(&signals_, &sig) != 0 || done_) return;
        if (source_.stop_requested()) std::_Exit(130);
        std::cerr << "\nstopping after the current batch (again to quit at once)...\n";
        source_.request_stop();
      }
    });
  }
  ~StopOnSignal() {
    done_ = true;
    pthread_kill(waiter_.native_handle(), SIGTERM);
    waiter_.join();
  }
  core::StopToken token() const { return source_.get_token(); }

 private:
  sigset_t signals_{};
  core::StopSource source_;
  std::atomic<bool> done_{false};
  std::thread waiter_;
};

//! Shows progress on stderr: a bar redrawn in place on a terminal, else a line per listing page.
class ProgressView {
 public:
  ProgressView() : terminal_(::isatty(STDERR_FILENO) == 1) {}
  void update(const backfill::Progress& p) {
    if (terminal_) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_ < std::chrono::milliseconds(100) && p.pages == pages_) return;
      last_ = now;
      pages_ = p.pages;
      std::cerr << "\r" << backfill::progress_bar(p) << "\033[K" << std::flush;
      drawn_ = true;
    } else if (p.pages != pages_) {
      pages_ = p.pages;
      std::cerr << backfill::progress_line(p) << "\n";
    }
  }
  //! Ends the bar's line before anything else is printed.
  void finish(const backfill::Progress& p) {
    if (terminal_ && drawn_) std::cerr << "\r" << backfill::progress_bar(p) << "\033[K\n" << std::flush;
    drawn_ = false;
  }
  void interrupt() {
    if (terminal_ && drawn_) std::cerr << "\n";
    drawn_ = false;
  }

 private:
  bool terminal_;
  bool drawn_ = false;
  std::uint64_t pages_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

std::string describe(const backfill::Selectors& s) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : ", ") + part; };
  if (!s.project.empty()) add("project " + s.project);
  if (!s.schema.empty()) add("schema " + s.schema);
  if (!s.modified_since.empty()) add("modified since " + s.modified_since);
  if (!s.modified_before.empty()) add("modified before " + s.modified_before);
  if (!s.entry_ids.empty()) add(std::to_string(s.entry_ids.size()) + " entry id(s)");
  if (!s.display_ids.empty()) add(std::to_string(s.display_ids.size()) + " display id(s)");
  add(s.include_archived ? "archived included" : "not archived");
  return out;
}

}  // namespace

std::unique_ptr<BackfillCommandOptions> add_backfill_command(CLI::App& app) {
  auto o = std::make_unique<BackfillCommandOptions>();
  auto* cmd = o->command = app.add_subcommand("backfill", kHelp);
  cmd->add_option("--quilt-stack-arn", o->settings.quilt_stack_arn,
                  "Quilt CloudFormation stack ARN (default: $QuiltStackARN)");
  cmd->add_option(
      "--benchling-secret", o->settings.benchling_secret,
      "Secrets Manager secret name or ARN with the Benchling settings (default: $BenchlingSecret)");
  cmd->add_option("--project", o->selectors.project,
                  "Only entries in this Benchling project (its id, src_...)");
  cmd->add_option("--schema", o->selectors.schema, "Only entries of this entry schema (its id)");
  cmd->add_option("--modified-since", o->selectors.modified_since,
                  "Only entries modified after this date (2024-01-31, midnight UTC) or RFC 3339 time "
                  "(2024-01-31T12:00:00Z)");
  cmd->add_option("--modified-before", o->selectors.modified_before,
                  "Only entries modified before this date or time");
  cmd->add_option("--entry", o->selectors.entry_ids,
                  "Only these entries (ids, etr_...; repeat or comma-separate)")
      ->delimiter(',');
  cmd->add_option("--display-id", o->selectors.display_ids,
                  "Only the entries with these display IDs (EXP24000123; repeat or comma-separate)")
      ->delimiter(',');
  cmd->add_flag("--include-archived", o->selectors.include_archived, "Archived entries too (default: not)");
  cmd->add_flag("--dry-run", o->dry_run,
                "List and count what would be queued, show the first entries, queue nothing");
  cmd->add_option("--resume", o->resume, "Continue an interrupted backfill from its printed token");
  cmd->add_option("--rate", o->rate,
                  "Jobs queued per second at most, so a large backfill leaves the workers room for live "
                  "webhooks (default 0: no limit)")
      ->check(CLI::Range(0.0, 10000.0));
  return o;
}

int run_backfill_command(const BackfillCommandOptions& o) {
  if (!*o.command) return -1;
  // Everything that can be checked without AWS or Benchling is, first: a typo never costs a resolution.
  backfill::RunOptions run;
  run.selectors = o.selectors;
  run.dry_run = o.dry_run;
  run.rate = o.rate;
  if (auto query = backfill::to_query(o.selectors); !query) return usage(query.error());
  if (!o.resume.empty()) {
    auto point = backfill::decode_resume_token(o.resume);
    if (!point) return usage(point.error());
    run.resume = *point;
  }
  auto env = aws::process_env();
  auto settings = config::load_settings(env, o.settings);
  if (!settings) return usage(settings.error());

  StopOnSignal signals;
  service::AwsContext aws_context(env, *settings, signals.token());
  auto resolved = aws_context.resolver(*settings).resolve();
  if (!resolved) return fail(resolved.error());
  const config::BenchlingSecret& secret = resolved->benchling;

  const config::QueueNames names = config::queue_names(settings->stack.arn, settings->secret_id);
  queue::WorkQueue queues(aws_context.sqs(), settings->stack.account,
                          {names.work, names.canvas, names.dead_letter});
  std::string url;
  if (!o.dry_run) {
    if (auto ok = queues.check(); !ok) return fail(ok.error());
    auto u = queues.url();
    if (!u) return fail(u.error());
    url = *u;
  }

  benchling::TokenSource tokens(aws_context.http(), secret.api_url, [&secret] {
    return benchling::ClientCredentials{secret.client_id, secret.client_secret};
  });
  benchling::ClientOptions client_options;
  client_options.stop = signals.token();
  benchling::Client client(aws_context.http(), tokens, secret.api_url, client_options);

  std::cout << (o.dry_run ? "Dry run (nothing is queued): " : "Backfill into " + queues.name() + ": ")
            << "entries at " << secret.api_url << " (" << describe(o.selectors) << ")"
            << (run.resume ? ", resuming" : "") << "\n"
            << std::flush;

  backfill::RunDeps deps{
      [&client](const benchling::EntriesQuery& q) { return client.list_entries(q); },
      [&](const std::vector<aws::SqsBatchEntry>& batch) -> core::Result<aws::SqsBatchResult> {
        auto sent = aws_context.sqs().send_message_batch(url, batch);
        // The queue went away mid-run: say so as every command does (deploy creates it).
        if (!sent && sent.error().code == core::ErrorCode::kNotFound) {
          if (auto ok = queues.check(); !ok) return ok.error();
        }
        return sent;
      },
      core::steady_clock(), core::system_now, signals.token()};

  ProgressView view;
  std::size_t previewed = 0, skipped_shown = 0;
  backfill::RunEvents events;
  events.progress = [&view](const backfill::Progress& p) { view.update(p); };
  if (o.dry_run) {
    events.listed = [&](const benchling::EntrySummary& e) {
      if (previewed++ >= kPreviewLines) return;
      view.interrupt();
      std::cout << "  " << e.id << "  " << (e.display_id.empty() ? "-" : e.display_id) << "  modified "
                << (e.modified_at.empty() ? "-" : e.modified_at) << "  " << e.name << "\n";
    };
  }
  events.skipped = [&](const benchling::EntrySummary& e, const std::string& why) {
    if (skipped_shown++ >= kSkipLines) return;
    view.interrupt();
    std::cerr << "skipped " << e.id << ": " << why << "\n";
  };

  auto outcome = backfill::run_backfill(run, deps, events);
  if (!outcome) return usage(outcome.error());
  view.finish(outcome->progress);
  if (o.dry_run && previewed > kPreviewLines) {
    std::cout << "  ... and " << (previewed - kPreviewLines) << " more\n";
  }
  if (skipped_shown > kSkipLines)
    std::cerr << "... and " << (skipped_shown - kSkipLines) << " more skipped\n";
  if (outcome->error) print_error(*outcome->error);
  std::cout << backfill::summary(outcome->progress, outcome->complete, o.dry_run) << "\n";
  if (outcome->complete) {
    if (outcome->progress.listed == 0) {
      // Benchling lists only what the app can see: an empty project is often one the app was not added to.
      std::cout
          << "No entry matched"
          << (o.selectors.project.empty()
                  ? ": Benchling lists only the projects the app was added to.\n"
                  : "; if project " + o.selectors.project +
                        " has entries, add the app to that project in Benchling, then run this again.\n");
    }
    if (!o.dry_run && outcome->progress.queued > 0) {
      std::cout << "The service's workers package them now; `benchling-webhook status` shows the work "
                   "queue draining.\n";
    }
    return 0;
  }
  const auto& point = outcome->resume;
  if (point && (!point->page_token.empty() || point->offset > 0 || point->listed > 0)) {
    std::cout << "Resume with:\n  " << resume_command(o, backfill::encode_resume_token(*point)) << "\n";
  } else if (point) {
    std::cout << "Nothing was queued yet: run the same command again once that is fixed.\n";
  }
  return 1;
}

}  // namespace bw::cli
