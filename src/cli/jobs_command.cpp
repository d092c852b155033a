#include "cli/jobs_command.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include <iostream>

#include "aws/env.hpp"
#include "cli/jobs_decode.hpp"
#include "cli/print_error.hpp"
#include "core/json.hpp"
#include "deploy/console.hpp"
#include "deploy/dead_letters.hpp"
#include "service/app.hpp"

namespace bw::cli {
namespace {

//! Errors from AWS or the dead letters themselves: exit 1.
int fail(const core::Error& e) {
  return report(e, 1);
}

void add_settings(CLI::App* cmd, JobsCommandOptions& o) {
  cmd->add_option("--quilt-stack-arn", o.settings.quilt_stack_arn,
                  "Quilt CloudFormation stack ARN (default: $QuiltStackARN)");
  cmd->add_option(
      "--benchling-secret", o.settings.benchling_secret,
      "Secrets Manager secret name or ARN with the Benchling settings (default: $BenchlingSecret)");
}

void add_list_flags(CLI::App* cmd, JobsCommandOptions& o) {
  add_settings(cmd, o);
  cmd->add_option("--limit", o.limit, "List at most this many jobs")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_flag("--json", o.json, "Print JSON: {\"jobs\": [...], \"truncated\": ...}");
}

int run_list(const JobsCommandOptions& o, const config::Settings& settings, aws::Sqs& sqs) {
  auto queues = deploy::dead_letter_queues(settings);
  auto listing = deploy::list_dead_letters(sqs, queues, describe_dead_letter_body, o.limit);
  if (!listing) return fail(listing.error());
  if (o.json) {
    boost::json::array jobs;
    for (const auto& d : listing->letters) jobs.push_back(deploy::to_json(d));
    boost::json::array names;
    for (const auto& n : queues.names) names.push_back(boost::json::string(n));
    std::cout << core::to_pretty_json(boost::json::object{{"dead_letter_queues", std::move(names)},
                                                          {"jobs", std::move(jobs)},
                                                          {"truncated", listing->truncated}})
              << "\n";
    return 0;
  }
  std::cout << listing->letters.size() << " dead-lettered job(s) in " << queues.names.front() << " and "
            << queues.names.back()
            << (listing->truncated ? " (limit reached: there may be more; see --limit)" : "") << "\n";
  deploy::render_dead_letters(std::cout, listing->letters);
  if (!listing->letters.empty()) {
    std::cout << "Redrive with `benchling-webhook jobs redrive ID...` (or --all); drop them all with "
                 "`benchling-webhook jobs purge`.\n";
  }
  return 0;
}

int run_redrive(const JobsCommandOptions& o, const config::Settings& settings, aws::Sqs& sqs) {
  if (o.ids.empty() && !o.all) {  // usage (CLI11 already refuses --all with ids)
    return report(core::make_error(core::ErrorCode::kMissingSetting, "No jobs to redrive",
                                   "Pass the message ids `benchling-webhook jobs` lists, or --all"),
                  2);
  }
  deploy::RedriveRequest request;
  request.all = o.all;
  request.ids = o.ids;
  auto report = deploy::redrive_dead_letters(sqs, deploy::dead_letter_queues(settings),
                                             describe_dead_letter_body, request);
  if (!report) return fail(report.error());
  for (const auto& m : report->moved) {
    std::cout << "moved " << m.letter.message_id << " (" << deploy::kind_label(m.letter.job.kind);
    if (!m.letter.job.entry_id.empty()) std::cout << ", entry " << m.letter.job.entry_id;
    if (!m.letter.job.package.empty()) std::cout << ", package " << m.letter.job.package;
    std::cout << ") to " << m.to_queue;
    if (!m.letter.group_id.empty()) std::cout << ", group " << m.letter.group_id;
    std::cout << ", now message " << m.new_message_id << "\n";
  }
  for (const auto& [id, why] : report->failed) std::cerr << "not moved: " << id << ": " << why << "\n";
  std::cout << report->moved.size() << " job(s) moved back";
  if (report->more) std::cout << "; more remain: run again";
  std::cout << ".\n";
  return report->failed.empty() ? 0 : 1;
}

int run_purge(const JobsCommandOptions& o, const config::Settings& settings, aws::Sqs& sqs) {
  deploy::Console console{std::cout, std::cerr, deploy::terminal_confirm(std::cout)};
  if (auto done = deploy::purge_dead_letters(sqs, deploy::dead_letter_queues(settings), o.yes, console);
      !done)
    return fail(done.error());
  return 0;
}

}  // namespace

std::unique_ptr<JobsCommandOptions> add_jobs_command(CLI::App& app) {
  auto o = std::make_unique<JobsCommandOptions>();
  o->jobs = app.add_subcommand(
      "jobs",
      "Dead-lettered jobs of the work queue and the package-events queue: list them (the default; a listing "
      "hides each for a moment), redrive them, or purge them");
  o->jobs->require_subcommand(0, 1);
  add_list_flags(o->jobs, *o);
  o->list = o->jobs->add_subcommand("list", "List dead-lettered jobs with their last error (the default)");
  add_list_flags(o->list, *o);
  o->redrive = o->jobs->add_subcommand(
      "redrive", "Move dead-lettered jobs back to the queue they came from, in their message groups");
  add_settings(o->redrive, *o);
  auto* all = o->redrive->add_flag("--all", o->all, "Every dead-lettered job");
  o->redrive->add_option("ids", o->ids, "Message ids, as `jobs` lists them")->excludes(all);
  o->purge = o->jobs->add_subcommand("purge", "Delete every dead-lettered job (asks first)");
  add_settings(o->purge, *o);
  o->purge->add_flag("--yes,-y", o->yes, "Purge without asking");
  return o;
}

int run_jobs_command(const JobsCommandOptions& o) {
  if (!*o.jobs) return -1;
  auto env = aws::process_env();
  auto settings = config::load_settings(env, o.settings);
  if (!settings) return report(settings.error(), 2);
  service::AwsContext aws_context(env, *settings);
  if (*o.redrive) return run_redrive(o, *settings, aws_context.sqs());
  if (*o.purge) return run_purge(o, *settings, aws_context.sqs());
  return run_list(o, *settings, aws_context.sqs());
}

}  // namespace bw::cli
