#include "benchling/client.hpp"

#include <algorithm>
#include <charconv>

#include "core/encoding.hpp"
#include "core/json.hpp"
#include "core/log.hpp"

namespace bw::benchling {
namespace {

using core::ErrorCode;
using std::chrono::milliseconds;

constexpr std::size_t kMaxRemoteMessage = 500;
constexpr std::size_t kMaxIdInMessage = 100;

std::string bounded(std::string_view s, std::size_t n) {
  if (s.size() <= n) return std::string(s);
  return std::string(s.substr(0, n)) + "...";
}

bool retryable_status(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

//! The URL without its query and fragment: a pre-signed URL's query holds credentials.
std::string without_query(std::string_view url) {
  return std::string(url.substr(0, url.find_first_of("?#")));
}

std::string host_of(std::string_view url) {
  auto start = url.find("://");
  if (start == std::string_view::npos) return {};
  url.remove_prefix(start + 3);
  return std::string(url.substr(0, url.find_first_of("/?#")));
}

//! Replaces `secret` wherever it appears in the error's text (a reply that quotes our token back).
void scrub(core::Error& e, std::string_view secret) {
  if (secret.empty()) return;
  auto clean = [&](std::string& s) {
    for (auto pos = s.find(secret); pos != std::string::npos; pos = s.find(secret, pos)) {
      s.replace(pos, secret.size(), "[redacted]");
    }
  };
  clean(e.message);
  clean(e.suggestion);
  for (auto& [k, v] : e.details) clean(v);
}

//! Benchling's {"error": {"message", "type", "userMessage"}}.
struct RemoteError {
  std::string message;
  std::string type;
};

RemoteError parse_remote_error(std::string_view body) {
  RemoteError out;
  auto parsed = core::parse_json(body, "error reply", 256 * 1024);
  if (!parsed || !parsed->is_object()) return out;
  const auto& obj = parsed->get_object();
  auto it = obj.find("error");
  if (it == obj.end()) return out;
  if (it->value().is_object()) {
    const auto& err = it->value().get_object();
    auto message = core::get_string(err, "message");
    if (!message) message = core::get_string(err, "userMessage");
    out.message = message.value_or("");
    out.type = core::get_string(err, "type").value_or("");
  } else if (it->value().is_string()) {
    out.message = std::string(it->value().get_string());
  }
  out.message = bounded(out.message, kMaxRemoteMessage);
  out.type = bounded(out.type, 64);
  return out;
}

std::string suggestion_not_found(std::string_view kind) {
  if (kind == "entry") {
    return "check that the entry still exists; Benchling also answers 404 when the app cannot see the entry, "
           "so make sure the app has access to the entry's project";
  }
  if (kind == "export task") return "export tasks expire; start a new export";
  if (kind == "app canvas") return "the canvas may have been removed from the entry; insert the app again";
  return "check that it still exists and that the app has access to it";
}

//! The task's own account of a failure: "message" and "errors" (strings, or objects with "message").
std::optional<std::string> task_message(const boost::json::object& task) {
  std::string out = core::get_string(task, "message").value_or("");
  auto append = [&out](std::string_view s) {
    if (s.empty()) return;
    if (!out.empty()) out += "; ";
    out += s;
  };
  auto append_value = [&](const boost::json::value& v) {
    if (v.is_string()) {
      append(v.get_string());
    } else if (v.is_object()) {
      auto m = core::get_string(v.get_object(), "message");
      if (m) append(*m);
    }
  };
  if (auto it = task.find("errors"); it != task.end()) {
    if (it->value().is_array()) {
      std::size_t n = 0;
      for (const auto& v : it->value().get_array()) {
        if (++n > 10 || out.size() > kMaxRemoteMessage) break;
        append_value(v);
      }
    } else {
      append_value(it->value());
    }
  }
  if (out.empty()) return std::nullopt;
  return bounded(out, kMaxRemoteMessage);
}

}  // namespace

std::optional<milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > 10) return std::nullopt;
  std::uint64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return milliseconds(seconds * 1000);
}

core::Error api_error(const http::Response& response, std::string_view path, std::string_view kind,
                      std::string_view id) {
  const int status = response.status;
  const RemoteError remote = parse_remote_error(response.body);
  const std::string what = std::string(kind) + (id.empty() ? "" : " " + bounded(id, kMaxIdInMessage));
  core::Error e;
  switch (status) {
    case 404:
      // kGone: a deleted resource stays deleted.
      e = core::make_error(ErrorCode::kGone,
                           "Benchling " + std::string(kind) + " not found" +
                               (id.empty() ? "" : ": " + bounded(id, kMaxIdInMessage)),
                           suggestion_not_found(kind));
      break;
    case 403:
      e = core::make_error(ErrorCode::kAccessDenied, "Benchling denied the app access to " + what,
                           "give the Benchling app access to the project that holds the " +
                               std::string(kind) + " (add the app to the project, as you would a user)");
      break;
    case 401:
      e = core::make_error(ErrorCode::kCredentials, "Benchling rejected the app's access token",
                           "check client_id and client_secret in the Benchling secret and that the app is "
                           "installed in this tenant (api_url or tenant in the secret)");
      break;
    case 429:
      e = core::make_error(ErrorCode::kThrottled, "Benchling is rate limiting the app (HTTP 429)",
                           "the work is retried later; fewer parallel workers make this rarer");
      break;
    default:
      if (status >= 500) {
        e = core::make_error(
            ErrorCode::kRemote, "Benchling failed on " + what + " (HTTP " + std::to_string(status) + ")",
            "retry later; Benchling has scheduled downtime on the last Saturday of each month "
            "(https://status.benchling.com)");
      } else {
        // kRejected: the same request would be refused again.
        e = core::make_error(ErrorCode::kRejected, "Benchling refused the request for " + what + " (HTTP " +
                                                       std::to_string(status) + ")" +
                                                       (remote.message.empty() ? "" : ": " + remote.message));
      }
  }
  e.with("status", std::to_string(status));
  if (!remote.message.empty()) e.with("benchling_message", remote.message);
  if (!remote.type.empty()) e.with("benchling_error_type", remote.type);
  e.with("path", bounded(path, 300));
  return e;
}

namespace {

//! A retry of a reply with `status`, after the server's Retry-After when it gave one in seconds.
core::TryAgain again_after(const http::Response& response) {
  core::TryAgain again{"HTTP " + std::to_string(response.status)};
  if (auto header = response.header("retry-after")) again.delay = parse_retry_after(*header);
  return again;
}

}  // namespace

Client::Client(http::Client& http, TokenSource& tokens, std::string api_url, ClientOptions options)
    : http_(http),
      tokens_(tokens),
      api_url_(std::move(api_url)),
      options_(std::move(options)),
      retry_(options_.retry, options_.stop, options_.sleep) {
  while (!api_url_.empty() && api_url_.back() == '/') api_url_.pop_back();
}

core::Result<http::Response> Client::call(std::string_view method, const std::string& path, std::string body,
                                          Target target) {
  bool reauthorized = false;
  // One 401 (from the API or the token endpoint) buys one retry with fresh credentials.
  auto reauthorize = [&](std::string_view rejected) {
    reauthorized = true;
    tokens_.invalidate(rejected);
    core::log::info("Benchling rejected the app's credentials; refreshing them", {{"path", path}});
    if (options_.on_unauthorized) options_.on_unauthorized();
  };

  using Step = core::Attempt<http::Response>;
  return retry_.run<http::Response>("Benchling call", {{"path", path}}, [&](unsigned, bool last) -> Step {
    auto token = tokens_.token();
    if (!token) {
      core::Error e = token.error();
      if (e.code == ErrorCode::kCredentials && !reauthorized) {
        reauthorize({});
        return core::TryAgain{e.message, std::nullopt, true};
      }
      const bool transient =
          e.code == ErrorCode::kTransport || e.code == ErrorCode::kThrottled || e.code == ErrorCode::kRemote;
      if (!transient || last) return e.with("request_path", path);
      return core::TryAgain{e.message};
    }
    http::Request req{.method = std::string(method), .url = api_url_ + path, .headers = {}, .body = body};
    req.headers.emplace_back("Authorization", "Bearer " + *token);
    req.headers.emplace_back("Accept", "application/json");
    if (method != "GET") req.headers.emplace_back("Content-Type", "application/json");
    req.timeout = options_.timeout;
    req.connect_timeout = options_.connect_timeout;
    req.stop = options_.stop;
    req.max_response_bytes = kMaxJsonResponseBytes;
    auto sent = http_.send(req);
    if (!sent) {
      core::Error e = sent.error();
      if (e.code != ErrorCode::kTransport || last) return e.with("path", path);
      return core::TryAgain{e.message};
    }
    if (sent->status >= 200 && sent->status < 300) return std::move(*sent);
    if (sent->status == 401 && !reauthorized) {
      reauthorize(*token);
      return core::TryAgain{"HTTP 401", std::nullopt, true};
    }
    if (retryable_status(sent->status) && !last) return again_after(*sent);
    core::Error e = api_error(*sent, path, target.kind, target.id);
    scrub(e, *token);
    return e;
  });
}

core::Result<boost::json::object> Client::call_json(std::string_view method, const std::string& path,
                                                    std::string body, Target target) {
  auto resp = call(method, path, std::move(body), target);
  if (!resp) return resp.error();
  auto parsed = core::parse_json(resp->body, "Benchling's reply", kMaxJsonResponseBytes);
  if (!parsed || !parsed->is_object()) {
    return core::make_error(ErrorCode::kRemote,
                            "Benchling answered " + path + " with something other than a JSON object",
                            "check api_url (or tenant) in the Benchling secret: it must be the tenant's URL")
        .with("status", std::to_string(resp->status))
        .with("path", path);
  }
  return std::move(parsed->get_object());
}

namespace {

core::Result<void> require_id(std::string_view kind, std::string_view id) {
  if (id.empty()) {
    return core::make_error(ErrorCode::kInvalidArgument,
                            "no Benchling " + std::string(kind) + " id was given");
  }
  return {};
}

}  // namespace

core::Result<boost::json::object> Client::get_entry(std::string_view entry_id) {
  if (auto ok = require_id("entry", entry_id); !ok) return ok.error();
  const std::string path = "/api/v2/entries/" + core::uri_encode(entry_id);
  auto obj = call_json("GET", path, {}, {"entry", entry_id});
  if (!obj) return obj.error();
  auto it = obj->find("entry");
  if (it == obj->end() || !it->value().is_object()) {
    return core::make_error(
               ErrorCode::kRemote,
               "Benchling's reply for entry " + bounded(entry_id, kMaxIdInMessage) + " has no entry object",
               "Benchling answered something other than an entry; the job is retried. If it persists, check "
               "the api_url in the secret")
        .with("path", path);
  }
  return std::move(it->value().get_object());
}

core::Result<EntriesPage> Client::list_entries(const EntriesQuery& query) {
  const std::string path = "/api/v2/entries" + entries_query_string(query);
  const Target target =
      query.project_id.empty() ? Target{"entry listing", ""} : Target{"project", query.project_id};
  auto resp = call("GET", path, {}, target);
  if (!resp) return resp.error();
  return parse_entries_page(resp->body);
}

core::Result<std::string> Client::start_export(std::string_view entry_id) {
  if (auto ok = require_id("entry", entry_id); !ok) return ok.error();
  boost::json::object body{{"id", entry_id}};
  auto obj = call_json("POST", "/api/v2/exports", boost::json::serialize(body), {"entry", entry_id});
  if (!obj) return obj.error();
  auto task_id = core::get_string(*obj, "taskId");
  if (!task_id || task_id->empty()) {
    return core::make_error(ErrorCode::kRemote, "Export initiated but task ID not found in response",
                            "The job is retried; if it persists, check the api_url in the secret")
        .with("entry_id", bounded(entry_id, kMaxIdInMessage))
        .with("path", "/api/v2/exports");
  }
  return std::move(*task_id);
}

core::Result<ExportTask> Client::get_task(std::string_view task_id) {
  if (auto ok = require_id("export task", task_id); !ok) return ok.error();
  const std::string path = "/api/v2/tasks/" + core::uri_encode(task_id);
  auto obj = call_json("GET", path, {}, {"export task", task_id});
  if (!obj) return obj.error();
  ExportTask task;
  auto status = core::get_string(*obj, "status");
  if (!status || status->empty()) {
    return core::make_error(ErrorCode::kRemote, "Benchling's reply for export task " +
                                                    bounded(task_id, kMaxIdInMessage) + " has no status")
        .with("path", path);
  }
  task.status = bounded(*status, 64);
  if (auto it = obj->find("response"); it != obj->end() && it->value().is_object()) {
    task.download_url = core::get_string(it->value().get_object(), "downloadURL");
  }
  if (!task.download_url) task.download_url = core::get_string(*obj, "downloadURL");  // tolerate a flat reply
  if (task.download_url && task.download_url->empty()) task.download_url.reset();
  task.message = task_message(*obj);
  return task;
}

core::Result<std::uint64_t> Client::download(const std::string& url,
                                             const std::function<bool(std::string_view)>& sink) {
  const std::string shown = without_query(url);  // the query of a pre-signed URL is a credential
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return core::make_error(ErrorCode::kRemote, "Benchling's export download URL is not an http(s) URL")
        .with("url", bounded(shown, 300));
  }
  auto download_error = [&](core::Error e) -> core::Error {
    e.with("host", host_of(url)).with("url", bounded(shown, 300));
    return e;
  };

  using Step = core::Attempt<std::uint64_t>;
  return retry_.run<std::uint64_t>(
      "Benchling export download", {{"host", host_of(url)}}, [&](unsigned, bool last) -> Step {
        std::uint64_t delivered = 0;
        bool stopped = false;
        http::Request req{.method = "GET", .url = url, .headers = {}, .body = {}};
        req.timeout = options_.download_timeout;
        req.connect_timeout = options_.connect_timeout;
        req.stop = options_.stop;
        req.max_response_bytes = static_cast<std::size_t>(options_.max_download_bytes);
        req.body_sink = [&](std::string_view chunk) {
          delivered += chunk.size();
          if (!sink(chunk)) {
            stopped = true;
            return false;
          }
          return true;
        };

        auto resp = http_.send(req);
        if (stopped) {
          return download_error(
              core::make_error(ErrorCode::kInternal, "the export download was stopped by its consumer")
                  .with("bytes", std::to_string(delivered)));
        }
        if (!resp) {
          // Once bytes went to the sink a retry would repeat them; the caller restarts instead.
          if (resp.error().code != ErrorCode::kTransport || delivered > 0 || last) {
            core::Error e = resp.error();
            e.message = "cannot download the Benchling export: " + e.message;
            if (delivered > 0) e.with("bytes_received", std::to_string(delivered));
            return download_error(std::move(e));
          }
          return core::TryAgain{resp.error().message};
        }
        if (resp->status >= 200 && resp->status < 300) return delivered;
        if (retryable_status(resp->status) && !last) return again_after(*resp);
        if (resp->status == 403 || resp->status == 401) {
          return download_error(core::make_error(ErrorCode::kAccessDenied,
                                                 "the export download link was refused (HTTP " +
                                                     std::to_string(resp->status) + ")",
                                                 "pre-signed download links expire; start a new export")
                                    .with("status", std::to_string(resp->status)));
        }
        const bool server_side = resp->status >= 500 || resp->status == 429;
        auto e =
            core::make_error(server_side ? ErrorCode::kRemote : ErrorCode::kRejected,
                             "cannot download the Benchling export: HTTP " + std::to_string(resp->status));
        return download_error(e.with("status", std::to_string(resp->status)));
      });
}

core::Result<boost::json::object> Client::get_resource(std::string_view collection, std::string_view id,
                                                       std::string_view kind) {
  if (auto ok = require_id(kind, id); !ok) return ok.error();
  return call_json("GET", "/api/v2/" + std::string(collection) + "/" + core::uri_encode(id), {}, {kind, id});
}

core::Result<boost::json::object> Client::get_canvas(std::string_view canvas_id) {
  if (auto ok = require_id("app canvas", canvas_id); !ok) return ok.error();
  return call_json("GET", "/api/v2/app-canvases/" + core::uri_encode(canvas_id), {},
                   {"app canvas", canvas_id});
}

core::Result<void> Client::update_canvas(std::string_view canvas_id, const boost::json::object& body) {
  if (auto ok = require_id("app canvas", canvas_id); !ok) return ok.error();
  auto resp = call("PATCH", "/api/v2/app-canvases/" + core::uri_encode(canvas_id),
                   boost::json::serialize(body), {"app canvas", canvas_id});
  if (!resp) return resp.error();
  return {};
}

core::Result<std::string> Client::create_canvas(const boost::json::object& body) {
  auto obj = call_json("POST", "/api/v2/app-canvases", boost::json::serialize(body), {"app canvas", ""});
  if (!obj) return obj.error();
  auto id = core::get_string(*obj, "id");
  if (!id || id->empty()) {
    return core::make_error(ErrorCode::kRemote, "Canvas created but its id was not found in the response")
        .with("path", "/api/v2/app-canvases");
  }
  return std::move(*id);
}

}  // namespace bw::benchling
