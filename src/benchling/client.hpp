// benchling/client.hpp: the Benchling REST calls the service makes (entries, exports, tasks, canvases),
// with the SDK's retries, a token refresh on 401 and errors a person can act on.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "benchling/entries_page.hpp"
#include "benchling/oauth.hpp"
#include "core/error.hpp"
#include "core/retry.hpp"
#include "http/client.hpp"

namespace bw::benchling {

//! Upper bound on a JSON reply (an entry with many notes is the largest we read).
inline constexpr std::size_t kMaxJsonResponseBytes = 8 * 1024 * 1024;

struct ClientOptions {
  //! The SDK's RetryStrategy: 5 tries; a Retry-After longer than a minute is shortened to it.
  core::RetryPolicy retry{.max_attempts = 5,
                          .base = std::chrono::milliseconds(500),
                          .cap = std::chrono::milliseconds(32000),
                          .max_requested_delay = std::chrono::milliseconds(60000)};
  //! Where retries sleep (tests record instead); `stop` ends such a sleep at once, with kCancelled.
  core::RetrySleepFn sleep = core::sleep_for;
  core::StopToken stop = {};
  //! Called when Benchling rejects the app's token or client credentials, before the one retry
  //! with a new token: the owner refreshes the secret here (it may have been rotated). Several
  //! threads may call it at once.
  std::function<void()> on_unauthorized = {};
  std::chrono::milliseconds timeout{30000};  //!< one API exchange
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds download_timeout{30 * 60 * 1000};  //!< the whole export download
  std::uint64_t max_download_bytes = std::uint64_t(64) << 30;  //!< 64 GiB
};

//! An export task as GET /api/v2/tasks/{id} reports it.
struct ExportTask {
  std::string status;  //!< "RUNNING", "SUCCEEDED", "FAILED", "QUEUED", or whatever Benchling says
  std::optional<std::string> download_url;  //!< response.downloadURL (when SUCCEEDED)
  //! Why it failed: the task's message and errors[] (Benchling's words, bounded), when present.
  std::optional<std::string> message;
};

//! Benchling REST API v2 client for one tenant. Thread-safe.
//! Every call retries 429, 502, 503, 504 and transport errors (core::Retry: up to max_attempts, full-jitter
//! exponential backoff, or the server's Retry-After in seconds; a stop ends the wait with kCancelled); a 401
//! drops the token, calls on_unauthorized() and retries once; other 4xx are final. Errors carry the HTTP
//! status, Benchling's error message and the API path, never a token, a secret or a pre-signed URL's query.
class Client {
 public:
  Client(http::Client& http, TokenSource& tokens, std::string api_url, ClientOptions options = {});
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  //! The `entry` object of GET /api/v2/entries/{id}. 404 → kGone "Benchling entry not found: <id>";
  //! 403 → kAccessDenied (the app needs access to the entry's project).
  core::Result<boost::json::object> get_entry(std::string_view entry_id);
  //! GET /api/v2/entries with `query`: one page of the listing (entries and nextToken), retried as every
  //! call (a 429 waits for its Retry-After). A 403/404 names the project when the query has one (kind
  //! "project"), else the listing.
  core::Result<EntriesPage> list_entries(const EntriesQuery& query);
  //! POST /api/v2/exports {"id": entry_id} → the export's taskId.
  core::Result<std::string> start_export(std::string_view entry_id);
  //! GET /api/v2/tasks/{id}.
  core::Result<ExportTask> get_task(std::string_view task_id);
  //! Streams the pre-signed download URL of an export to `sink` (no Authorization header: the URL
  //! may point at S3). Returns the bytes delivered. Retries only while nothing was delivered, so the
  //! sink never sees a byte twice. `sink` returning false stops the download (kInternal).
  core::Result<std::uint64_t> download(const std::string& url,
                                       const std::function<bool(std::string_view)>& sink);

  //! GET /api/v2/{collection}/{id} (collection as in the path: "custom-entities", "boxes", ...): the reply
  //! object as is. `kind` names the object in errors ("custom entity"). For lookups of linked objects.
  core::Result<boost::json::object> get_resource(std::string_view collection, std::string_view id,
                                                 std::string_view kind);

  //! GET /api/v2/app-canvases/{id}.
  core::Result<boost::json::object> get_canvas(std::string_view canvas_id);
  //! PATCH /api/v2/app-canvases/{id} with `body` (e.g. {"blocks": [...], "enabled": true}).
  core::Result<void> update_canvas(std::string_view canvas_id, const boost::json::object& body);
  //! POST /api/v2/app-canvases → the new canvas's id.
  core::Result<std::string> create_canvas(const boost::json::object& body);

  const std::string& api_url() const { return api_url_; }

 private:
  //! What a call is about, for error messages: "entry", "export task", "app canvas", ...
  struct Target {
    std::string_view kind;
    std::string_view id;
  };
  //! An authorized JSON call with retries; returns the 2xx response or the mapped error.
  core::Result<http::Response> call(std::string_view method, const std::string& path, std::string body,
                                    Target target);
  core::Result<boost::json::object> call_json(std::string_view method, const std::string& path,
                                              std::string body, Target target);

  http::Client& http_;
  TokenSource& tokens_;
  std::string api_url_;
  ClientOptions options_;
  core::Retry retry_;
};

//! Seconds of a Retry-After header ("120"), as milliseconds; nullopt for an HTTP date or junk.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

//! The core::Error for a Benchling API reply with status >= 300: status, Benchling's error.message
//! and type, the path; wording by status (404 kGone, 403 kAccessDenied, 401 kCredentials,
//! 429 kThrottled, 5xx kRemote, else kRejected). `kind`/`id` name the resource ("entry", "etr_1").
core::Error api_error(const http::Response& response, std::string_view path, std::string_view kind,
                      std::string_view id);

}  // namespace bw::benchling
