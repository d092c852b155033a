#include "service/jobs.hpp"

#include <boost/json.hpp>

#include "benchling/client.hpp"
#include "benchling/envelope.hpp"
#include "benchling/oauth.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "queue/consumer.hpp"

namespace bw::service {

//! A token source and a client bound to one api_url; kept alive by the jobs using it.
struct JobRunner::BenchlingSession {
  std::string api_url;
  std::unique_ptr<benchling::TokenSource> tokens;
  std::unique_ptr<benchling::Client> client;
};

JobRunner::JobRunner(config::Store& store, http::Client& http, aws::S3& s3, aws::Sqs& sqs,
                     packaging::WorkflowOptions options)
    : store_(store), http_(http), s3_(s3), sqs_(sqs), options_(std::move(options)) {}

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
  session->tokens = std::make_unique<benchling::TokenSource>(http_, session->api_url, [this] {
    auto snap = store_.snapshot();
    if (!snap.config) return benchling::ClientCredentials{};
    return benchling::ClientCredentials{snap.config->benchling.client_id,
                                        snap.config->benchling.client_secret};
  });
  benchling::ClientOptions options;
  options.on_unauthorized = [this] { store_.refresh_now(); };
  session->client = std::make_unique<benchling::Client>(http_, *session->tokens, session->api_url, options);
  session_ = session;
  return std::shared_ptr<benchling::Client>(session, session->client.get());
}

core::Result<void> JobRunner::run(const queue::Job& job, const queue::JobContext& context) {
  const config::Snapshot snap = store_.snapshot();
  if (!snap.ready()) {
    return core::make_error(core::ErrorCode::kRemote, "configuration not resolved yet", "the job is retried");
  }
  auto envelope = benchling::parse_envelope(job.envelope);
  if (!envelope) return envelope.error();
  auto root = core::parse_json(job.envelope, "job envelope");
  if (!root || !root->is_object())
    return core::make_error(core::ErrorCode::kInvalidArgument, "job envelope is not an object");

  // Canvas views (browse, pages, metadata) are rendered by the canvas feature; packaging handles entry
  // events, canvas creation and "Update package".
  const bool view_button = job.kind == queue::JobKind::kCanvas && !envelope->button_id.empty() &&
                           envelope->event_type == "v2.canvas.userInteracted";
  if (view_button) {
    core::log::info("canvas view job: no canvas renderer in this version; nothing to do",
                    {{"button", envelope->button_id}, {"canvas", envelope->canvas_id}});
    return {};
  }
  if (!envelope->entry_id) {
    return core::make_error(core::ErrorCode::kInvalidArgument, "job has no entry id",
                            "the webhook carried neither an entry nor a canvas with an entry");
  }

  auto benchling = benchling_for(*snap.config);
  packaging::WorkflowDeps deps{*benchling, s3_, sqs_, *snap.config};
  auto result = packaging::package_entry(*envelope->entry_id, root->get_object(), deps, context, options_);
  if (!result) return result.error();
  core::log::info("entry packaged", {{"entry", *envelope->entry_id},
                                     {"package", result->package_name},
                                     {"files", result->files},
                                     {"bytes", result->bytes},
                                     {"packager_message_id", result->packager_message_id}});
  return {};
}

}  // namespace bw::service
