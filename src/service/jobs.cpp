#include "service/jobs.hpp"

#include <boost/json.hpp>

#include "benchling/client.hpp"
#include "benchling/envelope.hpp"
#include "benchling/oauth.hpp"
#include "canvas/button_id.hpp"
#include "canvas/package_event.hpp"
#include "canvas/package_reader.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/log_context.hpp"
#include "core/metrics.hpp"
#include "packaging/entry_canvas.hpp"
#include "queue/consumer.hpp"
#include "queue/work_queue.hpp"
#include "service/canvas_jobs.hpp"
#include "service/intake.hpp"
#include "service/package_target.hpp"
#include "service/webhooks.hpp"

namespace bw::service {
namespace {
core::Error not_ready() {
  return core::make_error(core::ErrorCode::kUnavailable, "configuration not resolved yet",
                          "the job is retried");
}

//! Best effort: a canvas update that fails must not fail the packaging it reports on.
void try_canvas(const char* what, const core::Result<void>& done, const std::string& canvas_id) {
  if (!done) core::log::warn(what, {{"canvas", canvas_id}, {"error", done.error().message}});
}
}  // namespace

//! A token source and a client bound to one api_url; kept alive by the jobs using it.
struct JobRunner::BenchlingSession {
  std::string api_url;
  std::unique_ptr<benchling::TokenSource> tokens;
  std::unique_ptr<benchling::Client> client;
};

std::function<bool()> refresh_on_unauthorized(config::Store& store, std::chrono::milliseconds min_interval) {
  return [&store, min_interval] { return store.refresh_now(min_interval); };
}

JobRunner::JobRunner(JobDeps deps, packaging::WorkflowOptions options)
    : deps_(deps), options_(std::move(options)) {
  if (deps_.metrics) package_enqueued_ = &jobs_enqueued_counter(*deps_.metrics, queue::JobKind::kPackage);
}

JobRunner::~JobRunner() = default;

std::shared_ptr<benchling::Client> JobRunner::benchling_for(const config::ResolvedConfig& config) {
  std::lock_guard lock(mutex_);
  // Aliasing pointers: a job's client keeps its whole session (and token source) alive.
  if (session_ && session_->api_url == config.benchling.api_url) {
    return std::shared_ptr<benchling::Client>(session_, session_->client.get());
  }
  auto session = std::make_shared<BenchlingSession>();
  session->api_url = config.benchling.api_url;
  // Credentials are read from the store at each token fetch, so a rotated secret is used at once.
  session->tokens = std::make_unique<benchling::TokenSource>(deps_.http, session->api_url, [this] {
    auto snap = deps_.store.snapshot();
    if (!snap.config) return benchling::ClientCredentials{};
    return benchling::ClientCredentials{snap.config->benchling.client_id,
                                        snap.config->benchling.client_secret};
  });
  benchling::ClientOptions options;
  options.on_unauthorized = refresh_on_unauthorized(deps_.store);
  options.stop = deps_.stop;
  session->client =
      std::make_unique<benchling::Client>(deps_.http, *session->tokens, session->api_url, options);
  session_ = session;
  return std::shared_ptr<benchling::Client>(session, session->client.get());
}

core::Result<void> JobRunner::run(const queue::Job& job, const queue::JobContext& context) {
  const config::Snapshot snap = deps_.store.snapshot();
  if (!snap.ready()) return not_ready();
  auto benchling = benchling_for(*snap.config);
  CanvasJobs canvas(*snap.config, *benchling, deps_.s3, deps_.athena, context.stop_token());
  if (job.kind == queue::JobKind::kCanvas) return run_canvas(job, *snap.config, canvas);
  return run_package(job, *snap.config, canvas, *benchling, context);
}

core::Result<void> JobRunner::run_canvas(const queue::Job& job, const config::ResolvedConfig& config,
                                         CanvasJobs& canvas) {
  (void)config;
  auto envelope = benchling::parse_envelope(job.envelope);
  if (!envelope) return envelope.error();
  std::string canvas_id = envelope->canvas_id;

  if (envelope->event_type == "v2.canvas.userInteracted" && !envelope->button_id.empty()) {
    if (canvas_id.empty()) {
      return core::make_error(core::ErrorCode::kInvalidArgument, "button click without a canvas id");
    }
    if (auto button = canvas::parse_button_id(envelope->button_id))
      return canvas.show_button(canvas_id, *button);
    // Not one of ours: refresh the main view of the canvas's entry, so the user is not left waiting.
  }

  // Canvas created or initialized (or an unknown button): the entry comes from the webhook, else from
  // the canvas itself (runtime-spec §3 step 3).
  std::string entry_id =
      envelope->event_type == "v2.canvas.userInteracted" ? "" : envelope->entry_id.value_or("");
  auto root = core::parse_json(job.envelope, "job envelope");
  if (entry_id.empty() && !canvas_id.empty()) {
    auto b = benchling_for(config);
    auto found = b->get_canvas(canvas_id);
    if (!found) return found.error();
    entry_id = core::get_string(*found, "resourceId").value_or("");
  }
  if (entry_id.empty()) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "canvas job without an entry",
                            "Benchling sent neither a resource id nor a canvas with one");
  }
  std::string created_canvas;
  if (canvas_id.empty()) {
    // Since 2023 canvas.initialized carries no canvas id: the app creates the canvas on the entry.
    std::string feature = "quilt_entry";
    if (root && root->is_object()) {
      if (auto msg = root->get_object().find("message");
          msg != root->get_object().end() && msg->value().is_object()) {
        feature = core::get_string(msg->value().get_object(), "featureId").value_or(feature);
      }
    }
    auto created = canvas.create_canvas(entry_id, feature, envelope->app_id);
    if (!created) return created.error();
    canvas_id = *created;
    created_canvas = *created;
    core::log::info("canvas created on the entry", {{"entry", entry_id}, {"canvas", canvas_id}});
  }
  canvas::CanvasStatus updating;
  updating.updating = true;
  auto shown = canvas.show_main(canvas_id, entry_id, updating);
  // Once a canvas exists, a retry would create a second one: go on to the packaging, which renders it again.
  if (!shown && created_canvas.empty()) return shown.error();
  try_canvas("could not show Updating... on the new canvas", shown, canvas_id);
  if (envelope->event_type == "v2.canvas.userInteracted") return {};

  // A new canvas also starts the packaging of its entry, in the entry's own group (a 30-minute export
  // never holds up clicks on this canvas).
  queue::Job package = job;
  package.kind = queue::JobKind::kPackage;
  package.webhook_id = job.webhook_id.empty() ? "" : job.webhook_id + "-package";
  package.group_id = group_id("entry:", entry_id);
  // The envelope cannot name a canvas created after it was sent: the job carries it, so the packaging
  // shows its result there and records it in entry.json for package-revision refreshes.
  package.canvas_id = created_canvas;
  auto sent = deps_.work_queue.enqueue(package);
  if (!sent) return sent.error();
  if (package_enqueued_) package_enqueued_->inc();
  core::log::info("entry packaging queued for the new canvas",
                  {{"entry", entry_id},
                   {"group", package.group_id},
                   {"message_id", *sent},
                   // "<this id>-package" for a delivery with a webhook-id: one grep for it finds both jobs.
                   {"job_request_id", core::log::request_id_for(package.webhook_id, package.envelope)}});
  return {};
}

core::Result<void> JobRunner::run_package(const queue::Job& job, const config::ResolvedConfig& config,
                                          CanvasJobs& canvas, benchling::Client& benchling,
                                          const queue::JobContext& context) {
  auto envelope = benchling::parse_envelope(job.envelope);
  if (!envelope) return envelope.error();
  auto root = core::parse_json(job.envelope, "job envelope");
  if (!root || !root->is_object()) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "job envelope is not an object");
  }
  std::string entry_id = envelope->entry_id.value_or("");
  if (!envelope->button_id.empty()) {  // "Update Package": the entry is in the button id
    if (auto button = canvas::parse_button_id(envelope->button_id)) entry_id = button->entry_id;
  }
  if (entry_id.empty()) return core::make_error(core::ErrorCode::kInvalidArgument, "job has no entry id");
  const std::string& canvas_id = envelope->canvas_id.empty() ? job.canvas_id : envelope->canvas_id;
  if (!canvas_id.empty()) {
    canvas::CanvasStatus updating;
    updating.updating = true;
    try_canvas("could not show Updating... on the canvas", canvas.show_main(canvas_id, entry_id, updating),
               canvas_id);
  }

  packaging::WorkflowDeps deps{benchling, deps_.s3, deps_.sqs};
  auto result = packaging::package_entry(entry_id, root->get_object(), canvas_id, package_target(config),
                                         deps, stop_token(context), options_);
  if (!result) {
    std::string error_canvas = canvas_id;
    if (error_canvas.empty() && result.error().permanent) {
      // An entry event names no canvas, and no retry will come to show this failure: use the entry's own
      // canvas, if it has one (one more GET, only on this rare path).
      if (auto entry = benchling.get_entry(entry_id))
        error_canvas = packaging::entry_canvas_id(*entry).value_or("");
    }
    // A stop is no failure to show: the job runs again after the restart.
    const bool cancelled = context.stopping() || result.error().code == core::ErrorCode::kCancelled;
    if (!error_canvas.empty() && !cancelled) {
      try_canvas("could not show the error on the canvas",
                 canvas.show_error(error_canvas, entry_id, result.error()), error_canvas);
    }
    return result.error();
  }
  core::log::info("entry packaged", {{"entry", entry_id},
                                     {"package", result->package_name},
                                     {"files", result->files},
                                     {"bytes", result->bytes},
                                     {"packager_message_id", result->packager_message_id}});
  // Optimistic, as upstream: the Quilt package revision may still be building.
  if (result->canvas_id) {
    canvas::CanvasStatus updated;
    updated.updated_at = canvas_time_now();
    try_canvas("could not refresh the canvas", canvas.show_main(*result->canvas_id, entry_id, updated),
               *result->canvas_id);
  }
  return {};
}

core::Result<void> JobRunner::on_package_event(std::string_view body, const queue::JobContext& context) {
  auto event = canvas::parse_package_event(body);
  if (!event) return event.error();
  const config::Snapshot snap = deps_.store.snapshot();
  if (!snap.ready()) return not_ready();
  const config::ResolvedConfig& config = *snap.config;
  if (!canvas::is_ours(*event, config.benchling.user_bucket, config.benchling.pkg_prefix)) return {};

  canvas::PackageReader reader(deps_.s3);
  auto latest = reader.latest_top_hash(event->bucket, event->handle);
  if (!latest) return latest.error();
  if (event->top_hash && *event->top_hash != *latest) return {};  // an older revision: a newer event follows
  auto listing = reader.read_package(event->bucket, event->handle);
  if (!listing) return listing.error();
  auto meta = reader.package_metadata(event->bucket, event->handle, *listing);
  if (!meta) return meta.error();
  auto canvas_id = core::get_string(*meta, "canvas_id");
  auto entry_id = core::get_string(*meta, "entry_id");
  if (!canvas_id || canvas_id->empty() || !entry_id || entry_id->empty()) return {};  // not shown on a canvas

  auto benchling = benchling_for(config);
  CanvasJobs canvas(config, *benchling, deps_.s3, deps_.athena, context.stop_token());
  canvas::CanvasStatus updated;
  updated.updated_at = canvas_time_now();
  auto shown = canvas.show_main(*canvas_id, *entry_id, updated);
  if (shown)
    core::log::info("canvas refreshed for a new package revision",
                    {{"package", event->handle}, {"canvas", *canvas_id}});
  return shown;
}

}  // namespace bw::service
